"""An owner requires two-factor of the staff: nobody opens the organization's part of
/manage/ without it, and only owners change the setting."""

from __future__ import annotations

from urllib.parse import urlencode

import pyotp
import pytest
from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization, Role
from groundswell.petitions.models import Petition
from tests.accounts.conftest import enable_two_factor, log_in
from tests.accounts.test_two_factor import shown_secret
from tests.conftest import PASSWORD, login, make_organizer

SETTINGS = reverse("organizations_manage:settings", args=["action-now"])
SETUP = reverse("accounts:two_factor_setup")

MANAGE_PAGES = [
    ("organizations_manage:home", {}),
    ("organizations_manage:settings", {}),
    ("organizations_manage:members", {}),
    ("organizations_manage:coalition", {}),
    ("petitions_manage:list", {}),
    ("petitions_manage:create", {}),
    ("petitions_manage:rules", {}),
    ("petitions_manage:dashboard", {"slug": "defend-chicago"}),
    ("petitions_manage:edit", {"slug": "defend-chicago"}),
]


@pytest.fixture
def required(action_now: Organization) -> Organization:
    action_now.require_two_factor = True
    action_now.save()
    return action_now


def profile(**changes: str) -> dict[str, str]:
    return {"name": "Action Now", "email": "staff@actionnow.example", **changes}


@pytest.mark.parametrize(("name", "kwargs"), MANAGE_PAGES)
def test_staff_without_two_factor_are_sent_to_set_it_up(
    client: Client,
    owner: User,
    petition: Petition,
    required: Organization,
    name: str,
    kwargs: dict[str, str],
) -> None:
    url = reverse(name, kwargs={"org": "action-now", **kwargs})
    login(client, owner)
    response = client.get(url)
    assert response.status_code == 302
    assert response.url == f"{SETUP}?{urlencode({'next': url})}"
    page = client.get(response.url).content.decode()
    assert "Action Now requires two-factor authentication of its staff." in page


def test_a_form_posted_without_two_factor_changes_nothing(
    client: Client, owner: User, required: Organization
) -> None:
    login(client, owner)
    response = client.post(
        reverse("organizations_manage:invite", args=["action-now"]),
        {"email": "new@actionnow.example", "role": Role.ORGANIZER},
    )
    assert response.url.startswith(SETUP)
    assert not required.invitations.exists()


def test_staff_with_two_factor_get_in(
    client: Client, owner: User, petition: Petition, required: Organization
) -> None:
    enable_two_factor(owner)
    log_in(client, owner)
    for name, kwargs in MANAGE_PAGES:
        url = reverse(name, kwargs={"org": "action-now", **kwargs})
        assert client.get(url).status_code == 200, url


def test_setting_it_up_from_the_redirect_leads_back(
    client: Client, organizer: User, required: Organization
) -> None:
    home = reverse("organizations_manage:home", args=["action-now"])
    login(client, organizer)
    setup_url = client.get(home).url
    secret = shown_secret(client.get(setup_url).content.decode())
    response = client.post(
        setup_url, {"code": pyotp.TOTP(secret).now(), "password": PASSWORD, "next": home}
    )
    assert f'href="{home}"' in response.content.decode()
    assert client.get(home).status_code == 200


def test_outsiders_still_get_403_not_a_redirect(
    client: Client, outsider: User, required: Organization
) -> None:
    login(client, outsider)
    assert client.get(reverse("organizations_manage:home", args=["action-now"])).status_code == 403


def test_other_organizations_are_not_affected(
    client: Client, organizer: User, ocad: Organization, required: Organization
) -> None:
    ocad.memberships.create(user=organizer, role=Role.ORGANIZER)
    login(client, organizer)
    assert client.get(reverse("organizations_manage:home", args=["ocad"])).status_code == 200


def test_an_owner_with_two_factor_requires_it(
    client: Client, owner: User, action_now: Organization
) -> None:
    enable_two_factor(owner)
    log_in(client, owner)
    assert 'name="require_two_factor"' in client.get(SETTINGS).content.decode()
    response = client.post(SETTINGS, profile(require_two_factor="on"))
    assert response.status_code == 302
    action_now.refresh_from_db()
    assert action_now.require_two_factor

    client.post(SETTINGS, profile())
    action_now.refresh_from_db()
    assert not action_now.require_two_factor


def test_an_owner_without_two_factor_cannot_lock_themselves_out(
    client: Client, owner: User, action_now: Organization
) -> None:
    login(client, owner)
    response = client.post(SETTINGS, profile(name="Renamed", require_two_factor="on"))
    assert response.status_code == 200
    assert "Turn on two-factor authentication for your own account first" in (
        response.content.decode()
    )
    action_now.refresh_from_db()
    assert (action_now.name, action_now.require_two_factor) == ("Action Now", False)


def test_admins_see_the_setting_but_cannot_change_it(
    client: Client, action_now: Organization
) -> None:
    admin = make_organizer("lee@actionnow.example", action_now, Role.ADMIN)
    enable_two_factor(admin)
    log_in(client, admin)
    page = client.get(SETTINGS).content.decode()
    assert 'name="require_two_factor"' not in page
    assert "Two-factor authentication is not required of the staff." in page
    assert "Only owners can change this." in page
    client.post(SETTINGS, profile(require_two_factor="on"))
    action_now.refresh_from_db()
    assert not action_now.require_two_factor

    action_now.require_two_factor = True
    action_now.save()
    client.post(SETTINGS, profile())
    action_now.refresh_from_db()
    assert action_now.require_two_factor
    assert "is required of everyone on the staff" in client.get(SETTINGS).content.decode()
