"""Sessions end: after SESSION_IDLE_SECONDS unused, after SESSION_COOKIE_AGE in all, on
logout (on the server, not only in the browser), and elsewhere on a password change or
"log out everywhere"."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from groundswell.accounts import sessions
from groundswell.accounts.models import User
from tests.accounts.conftest import enable_two_factor, log_in
from tests.conftest import PASSWORD, login

MANAGE = reverse("front_manage:index")
LOGIN = reverse("accounts:login")


def set_session(client: Client, **values: Any) -> None:
    session = client.session
    for key, value in values.items():
        session[key] = value
    session.save()


def test_an_idle_session_ends(client: Client, owner: User) -> None:
    login(client, owner)
    idle = django_settings.SESSION_IDLE_SECONDS
    set_session(client, **{sessions.LAST_SEEN: int(time.time()) - idle - 1})
    response = client.get(MANAGE, follow=True)
    assert response.redirect_chain[0][0].startswith(LOGIN)
    assert "You were logged out after a while without activity." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_session_in_use_stays_and_its_clock_moves(client: Client, owner: User) -> None:
    login(client, owner)
    idle = django_settings.SESSION_IDLE_SECONDS
    a_while_ago = int(time.time()) - idle + 120
    set_session(client, **{sessions.LAST_SEEN: a_while_ago})
    assert client.get(MANAGE).status_code == 200
    assert client.session[sessions.LAST_SEEN] > a_while_ago


def test_a_session_ends_after_its_full_lifetime_even_in_use(
    client: Client, owner: User, settings: Any
) -> None:
    settings.SESSION_COOKIE_AGE = 12 * 3600
    login(client, owner)
    set_session(
        client,
        **{
            sessions.STARTED: int(time.time()) - 12 * 3600 - 1,
            sessions.LAST_SEEN: int(time.time()),
        },
    )
    response = client.get(MANAGE, follow=True)
    assert "a session lasts at most 12 hours" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_idle_limit_is_configurable(client: Client, owner: User, settings: Any) -> None:
    settings.SESSION_IDLE_SECONDS = 600
    login(client, owner)
    set_session(client, **{sessions.LAST_SEEN: int(time.time()) - 601})
    assert client.get(MANAGE).url.startswith(LOGIN)


def test_logging_out_ends_the_session_on_the_server(client: Client, owner: User) -> None:
    login(client, owner)
    stolen = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    client.post(reverse("accounts:logout"))
    thief = Client()
    thief.cookies[django_settings.SESSION_COOKIE_NAME] = stolen
    assert thief.get(MANAGE).url.startswith(LOGIN)


@pytest.mark.parametrize("with_two_factor", [False, True])
def test_a_password_change_ends_the_other_sessions_only(
    client: Client, owner: User, with_two_factor: bool
) -> None:
    recovery_codes = enable_two_factor(owner) if with_two_factor else [None]
    laptop = log_in(Client(), owner)
    log_in(client, owner, code=recovery_codes[0])  # a second login within 30 seconds
    new = "a new and longer passphrase"
    client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert client.get(MANAGE).status_code == 200
    assert laptop.get(MANAGE).url.startswith(LOGIN)


def test_log_out_everywhere_ends_every_session(client: Client, owner: User) -> None:
    laptop = log_in(Client(), owner)
    log_in(client, owner)
    page = client.get(reverse("accounts:two_factor")).content.decode()
    assert "Log out everywhere" in page
    response = client.post(reverse("accounts:logout_everywhere"), follow=True)
    assert "You are logged out on every device." in response.content.decode()
    assert client.get(MANAGE).url.startswith(LOGIN)
    assert laptop.get(MANAGE).url.startswith(LOGIN)
    log_in(Client(), owner)  # and the password still works
