"""Logging in with two-factor on: the password, then a code; only then a session."""

from __future__ import annotations

import pyotp
from django.test import Client
from django.urls import reverse

from groundswell.accounts import sessions
from groundswell.accounts.models import User
from tests.accounts.conftest import SECRET, enable_two_factor, fresh_code, log_in
from tests.conftest import PASSWORD

LOGIN = reverse("accounts:login")
CODE = reverse("accounts:login_code")
MANAGE = reverse("front_manage:index")


def password_step(client: Client, user: User, **data: str) -> None:
    response = client.post(LOGIN, {"username": user.email, "password": PASSWORD, **data})
    assert response.url == CODE
    assert "_auth_user_id" not in client.session  # not logged in yet


def test_the_password_alone_does_not_log_in(
    client: Client, owner: User, recovery_codes: list[str]
) -> None:
    password_step(client, owner)
    assert client.get(MANAGE).url.startswith(LOGIN)
    page = client.get(CODE).content.decode()
    assert "Enter your code" in page
    assert 'autocomplete="one-time-code"' in page


def test_the_code_finishes_the_login_and_goes_where_asked(
    client: Client, owner: User, recovery_codes: list[str]
) -> None:
    members = reverse("organizations_manage:members", args=["action-now"])
    password_step(client, owner, next=members)
    response = client.post(CODE, {"code": fresh_code(owner)})
    assert response.url == members
    assert client.session["_auth_user_id"] == str(owner.pk)
    assert client.session[sessions.VERIFIED] is True
    assert client.get(members).status_code == 200


def test_a_wrong_code_does_not_log_in(
    client: Client, owner: User, recovery_codes: list[str]
) -> None:
    password_step(client, owner)
    wrong = pyotp.TOTP(SECRET).at(0)
    response = client.post(CODE, {"code": wrong})
    assert response.status_code == 200
    assert "That code does not work." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_code_cannot_be_replayed(client: Client, owner: User, recovery_codes: list[str]) -> None:
    code = fresh_code(owner)
    password_step(client, owner)
    client.post(CODE, {"code": code})
    assert client.session["_auth_user_id"] == str(owner.pk)

    other = Client()
    password_step(other, owner)
    response = other.post(CODE, {"code": code})
    assert "That code does not work." in response.content.decode()
    assert "_auth_user_id" not in other.session


def test_a_recovery_code_logs_in_once(
    client: Client, owner: User, recovery_codes: list[str]
) -> None:
    password_step(client, owner)
    client.post(CODE, {"code": recovery_codes[0]})
    assert client.session["_auth_user_id"] == str(owner.pk)

    other = Client()
    password_step(other, owner)
    response = other.post(CODE, {"code": recovery_codes[0]})
    assert "That code does not work." in response.content.decode()
    assert "_auth_user_id" not in other.session


def test_the_code_step_expires_after_five_minutes(
    client: Client, owner: User, recovery_codes: list[str]
) -> None:
    password_step(client, owner)
    session = client.session
    session[sessions.PENDING] = {**session[sessions.PENDING], "until": 0}
    session.save()
    response = client.post(CODE, {"code": fresh_code(owner)}, follow=True)
    assert response.redirect_chain[-1][0] == LOGIN
    assert "Your login took too long or has ended." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_code_step_without_a_password_goes_back_to_login(
    client: Client, owner: User, recovery_codes: list[str]
) -> None:
    assert client.get(CODE).url == LOGIN
    assert client.post(CODE, {"code": fresh_code(owner)}).url == LOGIN
    assert "_auth_user_id" not in client.session


def test_a_wrong_password_reads_the_same_with_or_without_two_factor(
    client: Client, owner: User, organizer: User
) -> None:
    enable_two_factor(owner)

    def attempt(user: User) -> tuple[int, str]:
        response = Client().post(LOGIN, {"username": user.email, "password": "not it"})
        page = response.content.decode()
        page = page.replace(user.email, "EMAIL")
        return response.status_code, page.split('name="csrfmiddlewaretoken"')[0]

    assert attempt(owner) == attempt(organizer)
    assert attempt(owner)[0] == 200


def test_a_session_from_before_two_factor_is_asked_for_the_code(
    client: Client, owner: User
) -> None:
    client.force_login(owner)  # logged in on a laptop yesterday
    enable_two_factor(owner)  # switched on today, from another device
    members = reverse("organizations_manage:members", args=["action-now"])
    response = client.get(members)
    assert response.url == CODE
    assert "_auth_user_id" not in client.session
    response = client.post(CODE, {"code": fresh_code(owner)})
    assert response.url == members
    assert client.get(members).status_code == 200


def test_the_admin_login_page_asks_for_the_code_too(client: Client, db: None) -> None:
    operator = User.objects.create_superuser("ops@groundswell.example", PASSWORD)
    enable_two_factor(operator)
    response = client.post(
        reverse("admin:login"),
        {"username": operator.email, "password": PASSWORD, "next": "/admin/"},
    )
    response = client.get(response.url)
    assert response.url == CODE
    assert "_auth_user_id" not in client.session
    log_in(client, operator)
    assert client.get("/admin/").status_code == 200


def test_an_account_without_two_factor_logs_in_with_the_password(
    client: Client, organizer: User
) -> None:
    response = client.post(LOGIN, {"username": organizer.email, "password": PASSWORD})
    assert response.url == MANAGE
    assert client.session["_auth_user_id"] == str(organizer.pk)
