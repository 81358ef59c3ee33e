"""POST /manage/<org>/members/<id>/role/: only owners make or unmake owners; one always stays."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.organizations.models import Membership, Organization
from tests.conftest import login

Staff = Callable[[Organization], list[tuple[str, str]]]


def change(client: Client, user: User, organization: Organization, role: str) -> str:
    membership = Membership.objects.get(user=user, organization=organization)
    url = reverse("organizations_manage:change_role", args=[organization.slug, membership.pk])
    response = client.post(url, {f"member-{membership.pk}-role": role}, follow=True)
    return response.content.decode()


def role_of(user: User, organization: Organization) -> str:
    return Membership.objects.get(user=user, organization=organization).role


def test_an_admin_promotes_an_organizer_to_admin(
    client: Client, admin: User, organizer: User, action_now: Organization
) -> None:
    login(client, admin)
    page = change(client, organizer, action_now, "admin")
    assert "Dee is now Admin." in page
    assert role_of(organizer, action_now) == "admin"


def test_an_owner_makes_another_owner(
    client: Client, owner: User, admin: User, action_now: Organization
) -> None:
    login(client, owner)
    change(client, admin, action_now, "owner")
    assert role_of(admin, action_now) == "owner"


def test_an_admin_cannot_make_owners(
    client: Client, admin: User, organizer: User, action_now: Organization, staff: Staff
) -> None:
    before = staff(action_now)
    login(client, admin)
    page = change(client, organizer, action_now, "owner")
    assert "Choose one of the roles offered." in page
    assert staff(action_now) == before


def test_an_admin_cannot_demote_an_owner(
    client: Client, owner: User, admin: User, action_now: Organization, staff: Staff
) -> None:
    before = staff(action_now)
    login(client, admin)
    page = change(client, owner, action_now, "organizer")
    assert "Only an owner can make someone an owner or change an owner&#x27;s role." in page
    assert staff(action_now) == before


def test_the_last_owner_cannot_step_down(
    client: Client, owner: User, action_now: Organization, staff: Staff
) -> None:
    before = staff(action_now)
    login(client, owner)
    page = change(client, owner, action_now, "admin")
    assert "Maria is the only owner. Make someone else an owner first." in page
    assert staff(action_now) == before


def test_an_owner_steps_down_once_there_is_another(
    client: Client, owner: User, admin: User, action_now: Organization
) -> None:
    Membership.objects.filter(user=admin).update(role="owner")
    login(client, owner)
    change(client, owner, action_now, "admin")
    assert role_of(owner, action_now) == "admin"


def test_it_rejects_an_unknown_role(
    client: Client, owner: User, organizer: User, action_now: Organization, staff: Staff
) -> None:
    before = staff(action_now)
    login(client, owner)
    page = change(client, organizer, action_now, "dictator")
    assert "Choose one of the roles offered." in page
    assert staff(action_now) == before


def test_it_cannot_reach_a_member_of_another_organization(
    client: Client, owner: User, outsider: User, other_org: Organization
) -> None:
    login(client, owner)
    membership = Membership.objects.get(user=outsider)
    url = reverse("organizations_manage:change_role", args=["action-now", membership.pk])
    response = client.post(url, {f"member-{membership.pk}-role": "organizer"})
    assert response.status_code == 404
    assert role_of(outsider, other_org) == "owner"


def test_an_admin_may_step_down_and_lands_on_the_overview(
    client: Client, admin: User, action_now: Organization
) -> None:
    login(client, admin)
    membership = Membership.objects.get(user=admin)
    url = reverse("organizations_manage:change_role", args=["action-now", membership.pk])
    response = client.post(url, {f"member-{membership.pk}-role": "organizer"})
    assert response.url == reverse("organizations_manage:home", args=["action-now"])
    assert role_of(admin, action_now) == "organizer"
