"""/accounts/password/change/: a signed-in organizer changes their password."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from tests.conftest import PASSWORD
from tests.smtp import Mailbox

URL = reverse("accounts:password_change")
NEW_PASSWORD = "a new and longer passphrase"


def test_it_changes_the_password_and_keeps_the_session(client: Client, owner: User) -> None:
    client.force_login(owner)
    response = client.post(
        URL,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.url == reverse("accounts:password_change_done")
    owner.refresh_from_db()
    assert owner.check_password(NEW_PASSWORD)
    assert client.get(reverse("front_manage:index")).status_code == 200


def test_it_requires_the_current_password(client: Client, owner: User) -> None:
    client.force_login(owner)
    response = client.post(
        URL,
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    page = response.content.decode()
    assert "Your old password was entered incorrectly." in page
    assert 'aria-describedby="id_old_password_error"' in page
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


def test_it_needs_a_login(client: Client, db: None) -> None:
    assert client.get(URL).url.startswith(reverse("accounts:login"))


def test_guessing_the_current_password_is_throttled_like_a_login(
    client: Client, owner: User, settings: Any
) -> None:
    """The review's finding: 25 wrong old passwords in 9 s, then the right one worked."""
    client.force_login(owner)
    wrong = {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    for _ in range(25):
        client.post(URL, wrong)
    response = client.post(URL, {**wrong, "old_password": PASSWORD})
    assert "Too many failed attempts" in response.content.decode()
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)  # nothing changed


def test_the_owner_is_told_by_email_when_the_password_changes(
    client: Client, owner: User, mailbox: Mailbox, drain: Any
) -> None:
    client.force_login(owner)
    client.post(
        URL,
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    drain()
    [notice] = mailbox.to(owner.email)
    assert "password was changed" in notice["Subject"]
    assert "/accounts/password/reset/" in Mailbox.text(notice)


def test_two_factor_changes_are_told_by_email(owner: User, mailbox: Mailbox, drain: Any) -> None:
    import pyotp

    from groundswell.accounts import two_factor

    secret = two_factor.new_secret()
    two_factor.enable(owner, secret, pyotp.TOTP(secret).now())
    two_factor.regenerate_recovery_codes(owner)
    two_factor.disable(owner)
    drain()
    texts = [Mailbox.text(m) for m in mailbox.to(owner.email)]
    assert len(texts) == 3
    assert any("turned on" in t for t in texts) and any("turned off" in t for t in texts)
    assert any("recovery codes" in t for t in texts)
