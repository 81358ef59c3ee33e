"""/manage/<org>/api/: owners and admins make tokens (shown once) and revoke them;
`manage.py create_api_token` does the same for operators."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.api import actions
from groundswell.api.models import ApiToken
from groundswell.organizations.models import Organization
from tests.conftest import login

pytestmark = pytest.mark.django_db

URL = reverse("api_manage:tokens", args=["action-now"])


def test_an_owner_makes_a_token_shown_once(client: Client, owner: User) -> None:
    login(client, owner)

    response = client.post(URL, {"name": "Parsons sync"})

    secret = re.search(r'id="new-token" type="text" readonly value="([^"]+)"', response.text)
    assert secret is not None
    token = ApiToken.objects.get()
    assert token.name == "Parsons sync" and token.created_by == owner
    assert actions.authenticate(secret.group(1)) == token
    assert "no-store" in response["Cache-Control"]
    assert secret.group(1) not in client.get(URL).text


def test_a_token_needs_a_name(client: Client, owner: User) -> None:
    login(client, owner)

    response = client.post(URL, {"name": ""})

    assert response.status_code == 200
    assert not ApiToken.objects.exists()


def test_organizers_cannot_see_or_make_tokens(client: Client, organizer: User) -> None:
    login(client, organizer)

    assert client.get(URL).status_code == 403
    assert client.post(URL, {"name": "mine"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_revoking(client: Client, owner: User, action_now: Organization) -> None:
    token, secret = actions.create_token(action_now, name="old")
    login(client, owner)

    response = client.post(reverse("api_manage:revoke", args=["action-now", token.pk]))

    assert response.status_code == 303
    assert actions.authenticate(secret) is None
    assert "no longer works" in client.get(URL).text


def test_another_organizations_admin_cannot_revoke(
    client: Client, outsider: User, action_now: Organization
) -> None:
    token, secret = actions.create_token(action_now, name="theirs")
    login(client, outsider)

    client.post(reverse("api_manage:revoke", args=["elsewhere", token.pk]))

    assert actions.authenticate(secret) == token


def test_the_command_prints_a_working_token_last(action_now: Organization) -> None:
    out = io.StringIO()

    call_command("create_api_token", "action-now", stdout=out, stderr=io.StringIO())

    last = out.getvalue().strip().splitlines()[-1]
    found = actions.authenticate(last)
    assert found is not None and found.organization == action_now


def test_the_command_refuses_an_unknown_organization(db: None) -> None:
    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody", stdout=io.StringIO())
