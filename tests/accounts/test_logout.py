"""/accounts/logout/: signing out takes a POST (a link cannot sign anyone out)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User

URL = reverse("accounts:logout")


def test_it_logs_out_on_post(client: Client, owner: User) -> None:
    client.force_login(owner)
    response = client.post(URL)
    assert response.status_code == 302
    assert response.url == reverse("front:home")
    assert "_auth_user_id" not in client.session


def test_it_refuses_get(client: Client, owner: User) -> None:
    client.force_login(owner)
    assert client.get(URL).status_code == 405
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_the_header_offers_a_logout_button(client: Client, owner: User) -> None:
    client.force_login(owner)
    page = client.get(reverse("front_manage:index")).content.decode()
    assert f'action="{URL}"' in page
