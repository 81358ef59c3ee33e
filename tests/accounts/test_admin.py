"""The operator's admin for organizer accounts: keyed by email, no usernames."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from tests.conftest import PASSWORD


@pytest.fixture
def operator_client(client: Client, db: None) -> Client:
    client.force_login(User.objects.create_superuser("ops@groundswell.example", PASSWORD))
    return client


def test_an_operator_creates_an_account_by_email(operator_client: Client) -> None:
    response = operator_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "New.Organizer@Example.org",
            "usable_password": "true",
            "password1": "a fine long password",
            "password2": "a fine long password",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(email="new.organizer@example.org")
    assert user.check_password("a fine long password")
    assert user.username == user.email


def test_it_refuses_a_second_account_for_an_address(operator_client: Client, owner: User) -> None:
    response = operator_client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "MARIA@actionnow.example",
            "usable_password": "true",
            "password1": "a fine long password",
            "password2": "a fine long password",
        },
    )
    assert "An account with this email address already exists." in response.content.decode()
    assert User.objects.filter(email__iexact="maria@actionnow.example").count() == 1


def test_the_list_and_change_pages_show_accounts(operator_client: Client, owner: User) -> None:
    changelist = operator_client.get(reverse("admin:accounts_user_changelist") + "?q=maria")
    assert b"maria@actionnow.example" in changelist.content
    change = operator_client.get(reverse("admin:accounts_user_change", args=[owner.pk]))
    assert change.status_code == 200
    assert b'name="username"' not in change.content


def test_an_operator_edits_an_account(operator_client: Client, owner: User) -> None:
    url = reverse("admin:accounts_user_change", args=[owner.pk])
    response = operator_client.post(
        url,
        {
            "email": "maria@actionnow.example",
            "first_name": "María",
            "last_name": "Lopez",
            "language": "es",
            "is_active": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00:00",
            "initial-date_joined_0": "2026-01-01",
            "initial-date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    owner.refresh_from_db()
    assert (owner.first_name, owner.language) == ("María", "es")
