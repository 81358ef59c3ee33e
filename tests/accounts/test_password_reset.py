"""/accounts/password/reset/: a forgotten password is replaced through an emailed link."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.core import worker
from tests.conftest import PASSWORD
from tests.smtp import Mailbox

NEW_PASSWORD = "marching on city hall 2026"


def reset_link(mailbox: Mailbox, base_url: str) -> str:
    worker.drain()  # the reset email is queued, so the page answers alike for any address
    [message] = mailbox.wait_for(1)
    text = Mailbox.text(message)
    match = re.search(re.escape(base_url) + r"(/accounts/password/reset/\S+/)", text)
    assert match, f"no reset link in:\n{text}"
    return match.group(1)


def test_it_resets_a_password_end_to_end_over_smtp(
    client: Client, owner: User, mailbox: Mailbox, settings: Any
) -> None:
    settings.BASE_URL = "https://groundswell.example"
    response = client.post(reverse("accounts:password_reset"), {"email": "Maria@ActionNow.example"})
    worker.drain()
    assert response.url == reverse("accounts:password_reset_done")

    [message] = mailbox.wait_for(1)
    assert message["To"] == "maria@actionnow.example"
    assert message["Subject"] == "Reset your Groundswell password"
    path = reset_link(mailbox, "https://groundswell.example")  # BASE_URL, not the Host header

    response = client.get(path)
    assert response.status_code == 302  # Django swaps the token for a session key
    form_url = response.url
    page = client.get(form_url).content.decode()
    assert "Choose a new password" in page
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.url == reverse("accounts:password_reset_complete")

    old = client.post(reverse("accounts:login"), {"username": owner.email, "password": PASSWORD})
    assert old.status_code == 200
    new = client.post(
        reverse("accounts:login"), {"username": owner.email, "password": NEW_PASSWORD}
    )
    assert new.url == reverse("front_manage:index")

    # The link works once.
    assert "This link does not work any more" in client.get(path, follow=True).content.decode()


def test_it_says_the_same_for_an_unknown_address_and_sends_nothing(
    client: Client, owner: User, mailbox: Mailbox
) -> None:
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    worker.drain()
    assert response.url == reverse("accounts:password_reset_done")
    assert mailbox.messages == []


def test_it_rejects_a_weak_new_password_and_keeps_the_old(
    client: Client, owner: User, mailbox: Mailbox, settings: Any
) -> None:
    client.post(reverse("accounts:password_reset"), {"email": owner.email})
    response = client.get(reset_link(mailbox, settings.BASE_URL))
    page = client.post(response.url, {"new_password1": "12345", "new_password2": "12345"})
    assert "This password is too short." in page.content.decode()
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


def test_it_explains_a_forged_link(client: Client, owner: User) -> None:
    url = reverse("accounts:password_reset_confirm", args=["MQ", "forged-token"])
    page = client.get(url).content.decode()
    assert "This link does not work any more" in page
