"""/manage/<org>/coalition/: a coalition's owners and admins invite member organizations,
and an organization becomes a member only when its own owners or admins accept. Either
side may end the membership."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.organizations import actions
from groundswell.organizations.models import (
    CoalitionInvitation,
    CoalitionMember,
    InvitationState,
    Membership,
    Organization,
    Role,
)
from tests.conftest import login, make_organizer
from tests.organizations.conftest import join_coalition
from tests.smtp import Mailbox

INVITE = reverse("organizations_manage:invite_coalition_member", args=["sanctuary"])
ACTION_NOW_PAGE = reverse("organizations_manage:coalition", args=["action-now"])


def members(coalition: Organization) -> list[str]:
    return sorted(coalition.members.values_list("slug", flat=True))


def answer_url(answer: str, invitation: CoalitionInvitation, org: str = "action-now") -> str:
    return reverse(f"organizations_manage:{answer}_coalition_invitation", args=[org, invitation.pk])


def test_an_invited_organization_joins_only_when_its_owner_accepts(
    client: Client, coordinator: User, owner: User, coalition: Organization
) -> None:
    response = login(client, coordinator).post(INVITE, {"organization": "action-now"}, follow=True)

    assert "Action Now is invited." in response.content.decode()
    assert members(coalition) == []
    assert [c.slug for c in Organization.objects.get(slug="action-now").coalitions.all()] == []

    invitation = CoalitionInvitation.objects.get()
    page = login(client, owner).get(ACTION_NOW_PAGE).content.decode()
    assert "Chicago Sanctuary Coalition invited Action Now to join the coalition" in page
    response = client.post(answer_url("accept", invitation), follow=True)

    assert "Action Now is now a member of Chicago Sanctuary Coalition." in response.content.decode()
    assert members(coalition) == ["action-now"]
    invitation.refresh_from_db()
    assert (invitation.state, invitation.decided_by) == (InvitationState.ACCEPTED, owner)


def test_an_organizer_of_the_invited_organization_cannot_accept(
    client: Client, coordinator: User, organizer: User, coalition: Organization
) -> None:
    invitation = actions.invite_to_coalition(Membership.objects.get(user=coordinator), _org())

    page = login(client, organizer).get(ACTION_NOW_PAGE).content.decode()
    assert "Only an owner or an admin of Action Now can answer this invitation." in page
    assert answer_url("accept", invitation) not in page
    response = client.post(answer_url("accept", invitation), follow=True)

    assert "Only an owner or an admin of Action Now can decide this." in response.content.decode()
    assert members(coalition) == []
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.PENDING


def test_a_declined_invitation_never_makes_a_member(
    client: Client, coordinator: User, owner: User, coalition: Organization
) -> None:
    invitation = actions.invite_to_coalition(Membership.objects.get(user=coordinator), _org())

    response = login(client, owner).post(answer_url("decline", invitation), follow=True)
    assert "You declined the invitation to join Chicago Sanctuary Coalition." in (
        response.content.decode()
    )
    assert client.post(answer_url("accept", invitation)).status_code == 302

    assert members(coalition) == []
    page = login(client, coordinator).get(
        reverse("organizations_manage:coalition", args=["sanctuary"])
    )
    assert "declined on" in page.content.decode()


def test_the_coalition_withdraws_an_invitation_not_yet_answered(
    client: Client, coordinator: User, owner: User, coalition: Organization
) -> None:
    invitation = actions.invite_to_coalition(Membership.objects.get(user=coordinator), _org())
    page = login(client, coordinator).get(
        reverse("organizations_manage:coalition", args=["sanctuary"])
    )
    assert b"Withdraw the invitation to Action Now" in page.content

    url = reverse(
        "organizations_manage:withdraw_coalition_invitation", args=["sanctuary", invitation.pk]
    )
    response = client.post(url, follow=True)
    assert "The invitation to Action Now was withdrawn." in response.content.decode()

    response = login(client, owner).post(answer_url("accept", invitation), follow=True)
    assert "This invitation was already answered or withdrawn." in response.content.decode()
    assert members(coalition) == []


def test_the_invited_organizations_owners_and_admins_are_emailed(
    client: Client,
    coordinator: User,
    owner: User,
    organizer: User,
    coalition: Organization,
    mailbox: Mailbox,
    drain: Any,
    settings: Any,
) -> None:
    settings.BASE_URL = "https://groundswell.example"
    admin = make_organizer("lee@actionnow.example", _org(), Role.ADMIN)
    login(client, coordinator).post(INVITE, {"organization": "action-now"})

    drain()
    messages = mailbox.wait_for(2)

    assert sorted(m["To"] for m in messages) == sorted([owner.email, admin.email])
    [message] = mailbox.to(owner.email)
    assert message["Subject"] == "Chicago Sanctuary Coalition invites you to join the coalition"
    text = Mailbox.text(message)
    assert "Chicago Sanctuary Coalition invites Action Now to join the coalition" in text
    assert "https://groundswell.example/manage/action-now/coalition/" in text


def test_no_email_goes_out_for_an_invitation_answered_before_it_was_sent(
    coordinator: User, owner: User, coalition: Organization, mailbox: Mailbox, drain: Any
) -> None:
    invitation = actions.invite_to_coalition(Membership.objects.get(user=coordinator), _org())
    actions.accept_coalition_invitation(Membership.objects.get(user=owner), invitation)

    drain()

    assert mailbox.to(owner.email) == []


def test_the_page_lists_members_and_offers_the_others(
    client: Client,
    coordinator: User,
    coalition: Organization,
    action_now: Organization,
    ocad: Organization,
) -> None:
    join_coalition(coalition, action_now)
    login(client, coordinator)
    page = client.get(reverse("organizations_manage:coalition", args=["sanctuary"])).content
    assert b"Remove Action Now from the coalition" in page
    assert b'<option value="ocad">' in page
    assert b'<option value="action-now">' not in page


def test_it_rejects_an_unknown_organization(
    client: Client, coordinator: User, coalition: Organization
) -> None:
    login(client, coordinator)
    response = client.post(INVITE, {"organization": "nobody"})
    assert "No organization has the short name “nobody”." in response.content.decode()
    assert not CoalitionInvitation.objects.exists()


def test_it_refuses_to_invite_the_coalition_itself(
    client: Client, coordinator: User, coalition: Organization
) -> None:
    login(client, coordinator)
    response = client.post(INVITE, {"organization": "sanctuary"})
    assert "A coalition cannot be a member of itself." in response.content.decode()
    assert not CoalitionInvitation.objects.exists()


def test_it_refuses_a_member_or_an_invited_organization_twice(
    client: Client, coordinator: User, coalition: Organization, action_now: Organization
) -> None:
    login(client, coordinator)
    client.post(INVITE, {"organization": "action-now"})
    response = client.post(INVITE, {"organization": "action-now"})
    assert "Action Now is already invited and has not answered yet." in response.content.decode()

    actions.accept_coalition_invitation(
        Membership.objects.get(user=make_organizer("o@an.example", action_now, Role.OWNER)),
        CoalitionInvitation.objects.get(),
    )
    response = client.post(INVITE, {"organization": "action-now"})
    assert "Action Now is already a member of this coalition." in response.content.decode()
    assert CoalitionMember.objects.count() == CoalitionInvitation.objects.count() == 1


def test_an_organization_that_is_not_a_coalition_has_no_members(
    client: Client, owner: User, action_now: Organization, ocad: Organization
) -> None:
    login(client, owner)
    url = reverse("organizations_manage:invite_coalition_member", args=["action-now"])
    response = client.post(url, {"organization": "ocad"}, follow=True)
    assert "Action Now is not a coalition." in response.content.decode()
    assert not CoalitionInvitation.objects.exists()


def test_a_coordinator_removes_a_member(
    client: Client, coordinator: User, coalition: Organization, action_now: Organization
) -> None:
    join_coalition(coalition, action_now)
    login(client, coordinator)
    url = reverse("organizations_manage:remove_coalition_member", args=["sanctuary", "action-now"])
    response = client.post(url, follow=True)
    assert "Action Now left the coalition." in response.content.decode()
    assert members(coalition) == []


def test_a_member_leaves_on_its_own_but_not_by_an_organizer(
    client: Client, owner: User, organizer: User, coalition: Organization, action_now: Organization
) -> None:
    join_coalition(coalition, action_now)
    url = reverse("organizations_manage:leave_coalition", args=["action-now", "sanctuary"])

    response = login(client, organizer).post(url, follow=True)
    assert "Only an owner or an admin of Action Now can decide this." in response.content.decode()
    assert members(coalition) == ["action-now"]

    response = login(client, owner).post(url, follow=True)
    assert "Action Now left Chicago Sanctuary Coalition." in response.content.decode()
    assert members(coalition) == []


def test_an_organizer_sees_members_but_cannot_change_them(
    client: Client, coalition: Organization, action_now: Organization
) -> None:
    join_coalition(coalition, action_now)
    helper = make_organizer("vol@sanctuary.example", coalition, Role.ORGANIZER)
    login(client, helper)
    page = client.get(reverse("organizations_manage:coalition", args=["sanctuary"])).content
    assert b"Action Now" in page
    assert b"Send the invitation" not in page
    assert client.post(INVITE, {"organization": "ocad"}).status_code == 403
    assert Membership.objects.get(user=helper).role == Role.ORGANIZER


def test_a_member_organization_sees_its_coalitions(
    client: Client, owner: User, coalition: Organization, action_now: Organization
) -> None:
    join_coalition(coalition, action_now)
    login(client, owner)
    page = client.get(ACTION_NOW_PAGE).content
    assert b"Chicago Sanctuary Coalition" in page
    assert b"Leave Chicago Sanctuary Coalition" in page


def test_the_overview_says_an_invitation_waits(
    client: Client, coordinator: User, owner: User, coalition: Organization
) -> None:
    actions.invite_to_coalition(Membership.objects.get(user=coordinator), _org())

    page = login(client, owner).get(reverse("organizations_manage:home", args=["action-now"]))

    assert "An invitation to join a coalition" in page.content.decode()


def _org() -> Organization:
    return Organization.objects.get(slug="action-now")
