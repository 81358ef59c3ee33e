"""/accounts/password/change/: a signed-in organizer changes their password."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from tests.conftest import PASSWORD

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
