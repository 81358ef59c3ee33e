"""/manage/<org>/coalition/: a coalition's owners and admins add and remove member organizations."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.organizations.models import CoalitionMember, Membership, Organization, Role
from tests.conftest import login, make_organizer

ADD = reverse("organizations_manage:add_coalition_member", args=["sanctuary"])


def members(coalition: Organization) -> list[str]:
    return sorted(coalition.members.values_list("slug", flat=True))


def test_a_coordinator_adds_a_member_organization(
    client: Client, coordinator: User, coalition: Organization, action_now: Organization
) -> None:
    login(client, coordinator)
    response = client.post(ADD, {"organization": "action-now"}, follow=True)
    assert "Action Now joined the coalition." in response.content.decode()
    assert members(coalition) == ["action-now"]


def test_the_page_lists_members_and_offers_the_others(
    client: Client,
    coordinator: User,
    coalition: Organization,
    action_now: Organization,
    ocad: Organization,
) -> None:
    CoalitionMember.objects.create(coalition=coalition, organization=action_now)
    login(client, coordinator)
    page = client.get(reverse("organizations_manage:coalition", args=["sanctuary"])).content
    assert b"Remove Action Now from the coalition" in page
    assert b'<option value="ocad">' in page
    assert b'<option value="action-now">' not in page


def test_it_rejects_an_unknown_organization(
    client: Client, coordinator: User, coalition: Organization
) -> None:
    login(client, coordinator)
    response = client.post(ADD, {"organization": "nobody"})
    assert "No organization has the short name “nobody”." in response.content.decode()
    assert members(coalition) == []


def test_it_refuses_to_add_the_coalition_to_itself(
    client: Client, coordinator: User, coalition: Organization
) -> None:
    login(client, coordinator)
    response = client.post(ADD, {"organization": "sanctuary"})
    assert "A coalition cannot be a member of itself." in response.content.decode()
    assert members(coalition) == []


def test_it_refuses_a_member_twice(
    client: Client, coordinator: User, coalition: Organization, action_now: Organization
) -> None:
    CoalitionMember.objects.create(coalition=coalition, organization=action_now)
    login(client, coordinator)
    response = client.post(ADD, {"organization": "action-now"})
    assert "Action Now is already a member of this coalition." in response.content.decode()
    assert CoalitionMember.objects.count() == 1


def test_an_organization_that_is_not_a_coalition_has_no_members(
    client: Client, owner: User, action_now: Organization, ocad: Organization
) -> None:
    login(client, owner)
    url = reverse("organizations_manage:add_coalition_member", args=["action-now"])
    response = client.post(url, {"organization": "ocad"}, follow=True)
    assert "Action Now is not a coalition." in response.content.decode()
    assert not CoalitionMember.objects.exists()


def test_a_coordinator_removes_a_member(
    client: Client, coordinator: User, coalition: Organization, action_now: Organization
) -> None:
    CoalitionMember.objects.create(coalition=coalition, organization=action_now)
    login(client, coordinator)
    url = reverse("organizations_manage:remove_coalition_member", args=["sanctuary", "action-now"])
    response = client.post(url, follow=True)
    assert "Action Now left the coalition." in response.content.decode()
    assert members(coalition) == []


def test_an_organizer_sees_members_but_cannot_change_them(
    client: Client, coalition: Organization, action_now: Organization
) -> None:
    CoalitionMember.objects.create(coalition=coalition, organization=action_now)
    helper = make_organizer("vol@sanctuary.example", coalition, Role.ORGANIZER)
    login(client, helper)
    page = client.get(reverse("organizations_manage:coalition", args=["sanctuary"])).content
    assert b"Action Now" in page
    assert b"Add to the coalition" not in page
    assert client.post(ADD, {"organization": "ocad"}).status_code == 403
    assert Membership.objects.get(user=helper).role == Role.ORGANIZER


def test_a_member_organization_sees_its_coalitions(
    client: Client, owner: User, coalition: Organization, action_now: Organization
) -> None:
    CoalitionMember.objects.create(coalition=coalition, organization=action_now)
    login(client, owner)
    page = client.get(reverse("organizations_manage:coalition", args=["action-now"])).content
    assert b"Chicago Sanctuary Coalition" in page
