"""/accounts/login/: organizers sign in with their email address and password."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from tests.conftest import PASSWORD

URL = reverse("accounts:login")


def test_it_logs_in_with_email_and_password(client: Client, owner: User) -> None:
    response = client.post(URL, {"username": "maria@actionnow.example", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("front_manage:index")
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_the_email_is_not_case_sensitive(client: Client, owner: User) -> None:
    response = client.post(URL, {"username": " Maria@ActionNow.EXAMPLE ", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_it_goes_back_to_the_page_that_asked_for_login(client: Client, owner: User) -> None:
    members = reverse("organizations_manage:members", args=["action-now"])
    response = client.get(members)
    assert response.url == f"{URL}?next={members}"
    response = client.post(URL, {"username": owner.email, "password": PASSWORD, "next": members})
    assert response.url == members


def test_it_ignores_a_next_address_on_another_site(client: Client, owner: User) -> None:
    response = client.post(
        URL, {"username": owner.email, "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response.url == reverse("front_manage:index")


def test_it_rejects_a_wrong_password(client: Client, owner: User) -> None:
    response = client.post(URL, {"username": owner.email, "password": "not it"})
    assert response.status_code == 200
    assert "That email address and password do not match an account." in (response.content.decode())
    assert "_auth_user_id" not in client.session


def test_it_rejects_an_inactive_account(client: Client, owner: User) -> None:
    owner.is_active = False
    owner.save()
    response = client.post(URL, {"username": owner.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_it_pauses_an_address_after_repeated_failures(
    client: Client, owner: User, settings: Any
) -> None:
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(URL, {"username": owner.email, "password": "guess"})
    response = client.post(URL, {"username": owner.email, "password": PASSWORD})
    assert "Too many failed attempts to log in." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_form_labels_every_input(client: Client, db: None) -> None:
    page = client.get(URL).content.decode()
    assert '<label for="id_username">Email address</label>' in page
    assert '<label for="id_password">Password</label>' in page
    assert page.count("<h1>") == 1


def test_a_signed_in_organizer_goes_straight_on(client: Client, owner: User) -> None:
    client.force_login(owner)
    assert client.get(URL).url == reverse("front_manage:index")
