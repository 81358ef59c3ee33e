"""POST /manage/<org>/invitations/<id>/revoke/: withdraw an invitation before it is used."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.organizations import actions
from groundswell.organizations.models import Invitation, Membership, Organization, Role
from tests.conftest import login


def invite(owner: User, organization: Organization) -> Invitation:
    inviter = Membership.objects.get(user=owner, organization=organization)
    return actions.invite_staff(inviter, "jo@example.org", Role.ORGANIZER)


def test_an_admin_withdraws_an_invitation(
    client: Client, owner: User, admin: User, action_now: Organization
) -> None:
    invitation = invite(owner, action_now)
    login(client, admin)
    url = reverse("organizations_manage:revoke_invitation", args=["action-now", invitation.pk])
    response = client.post(url, follow=True)
    assert "The invitation to jo@example.org was withdrawn." in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_it_cannot_withdraw_a_used_invitation(
    client: Client, owner: User, action_now: Organization
) -> None:
    invitation = invite(owner, action_now)
    jo = User.objects.create_user("jo@example.org", "a long enough password")
    actions.accept_invitation(invitation, jo)
    login(client, owner)
    url = reverse("organizations_manage:revoke_invitation", args=["action-now", invitation.pk])
    response = client.post(url, follow=True)
    assert "That invitation was already used or withdrawn." in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert Membership.objects.filter(user=jo, organization=action_now).exists()


def test_it_cannot_reach_another_organizations_invitation(
    client: Client, owner: User, outsider: User, other_org: Organization, action_now: Organization
) -> None:
    invitation = invite(outsider, other_org)
    login(client, owner)
    url = reverse("organizations_manage:revoke_invitation", args=["action-now", invitation.pk])
    assert client.post(url).status_code == 404
    invitation.refresh_from_db()
    assert invitation.is_open
