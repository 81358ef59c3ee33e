"""Naming a partner invites it: an organization is shown as a campaign's partner only
once one of its owners or admins accepts (issue: one organization never speaks for
another)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from groundswell.accounts.models import User
from groundswell.campaigns import actions
from groundswell.campaigns.models import Campaign, PartnerInvitation
from groundswell.organizations.actions import NotAllowed
from groundswell.organizations.models import InvitationState, Membership, Organization, Role
from tests.conftest import answerer_of, login, make_organizer
from tests.smtp import Mailbox

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposed(action_now: Organization, owner: User, other_org: Organization) -> Campaign:
    """Action Now's active campaign, naming Elsewhere Alliance as a partner."""
    return actions.create_campaign(
        owner=action_now,
        created_by=owner,
        partners=[other_org],
        slug="fair-contract",
        title="A Fair Police Contract",
        status=Campaign.Status.ACTIVE,
    )


def test_a_named_partner_is_not_shown_until_it_accepts(
    client: Client, proposed: Campaign, other_org: Organization, outsider: User
) -> None:
    assert not proposed.partners.exists()
    assert "Elsewhere Alliance" not in client.get("/campaigns/fair-contract/").content.decode()
    assert "A Fair Police Contract" not in client.get("/orgs/elsewhere/").content.decode()

    invitation = PartnerInvitation.objects.get()
    actions.accept_partnership(Membership.objects.get(user=outsider), invitation)

    assert list(proposed.partners.all()) == [other_org]
    assert "Elsewhere Alliance" in client.get("/campaigns/fair-contract/").content.decode()
    assert "A Fair Police Contract" in client.get("/orgs/elsewhere/").content.decode()


def test_the_invited_organizations_answerers_are_emailed_once(
    action_now: Organization,
    owner: User,
    other_org: Organization,
    outsider: User,
    mailbox: Mailbox,
    drain: Any,
) -> None:
    campaign = actions.create_campaign(
        owner=action_now, created_by=owner, partners=[other_org], slug="c", title="C"
    )
    actions.update_campaign(campaign, partners=[other_org], by=owner)  # named again
    drain()
    sent = [m for m in mailbox.messages if "partner" in m["Subject"]]
    assert [m["To"] for m in sent] == ["sam@elsewhere.example"]
    assert "/manage/elsewhere/campaigns/partnerships/" in sent[0].get_body().get_content()


def test_only_an_owner_or_admin_of_the_invited_organization_answers(
    proposed: Campaign, other_org: Organization, owner: User
) -> None:
    invitation = PartnerInvitation.objects.get()
    staff = make_organizer("dana@elsewhere.example", other_org, Role.ORGANIZER)
    with pytest.raises(NotAllowed):
        actions.accept_partnership(Membership.objects.get(user=staff), invitation)
    with pytest.raises(NotAllowed):  # the inviting organization cannot accept for it
        actions.accept_partnership(Membership.objects.get(user=owner), invitation)
    assert not proposed.partners.exists()


def test_the_organizer_pages_answer_and_refuse(
    client: Client, proposed: Campaign, other_org: Organization, outsider: User
) -> None:
    staff = make_organizer("dana@elsewhere.example", other_org, Role.ORGANIZER)
    invitation = PartnerInvitation.objects.get()

    page = login(client, staff).get("/manage/elsewhere/campaigns/partnerships/").content.decode()
    assert "A Fair Police Contract" in page and "Only an owner or an admin" in page
    refused = client.post(f"/manage/elsewhere/campaigns/partnerships/{invitation.pk}/accept/")
    assert refused.status_code == 303 and not proposed.partners.exists()

    login(client, outsider)
    overview = client.get("/manage/elsewhere/").content.decode()
    assert "An invitation to be a partner in a campaign" in overview
    answered = client.post(f"/manage/elsewhere/campaigns/partnerships/{invitation.pk}/accept/")
    assert answered.status_code == 303
    assert answered["Location"] == "/manage/elsewhere/campaigns/fair-contract/"
    assert list(proposed.partners.all()) == [other_org]
    again = client.post(f"/manage/elsewhere/campaigns/partnerships/{invitation.pk}/accept/")
    assert again.status_code == 303  # already answered: a message, nothing changes
    assert proposed.partners.count() == 1


def test_another_organizations_invitation_is_404(
    client: Client, proposed: Campaign, ocad: Organization, ocad_organizer: User
) -> None:
    invitation = PartnerInvitation.objects.get()
    Membership.objects.filter(user=ocad_organizer).update(role=Role.OWNER)
    response = login(client, ocad_organizer).post(
        f"/manage/ocad/campaigns/partnerships/{invitation.pk}/accept/"
    )
    assert response.status_code == 404
    assert not proposed.partners.exists()


def test_declining_shows_nothing_and_unnaming_withdraws(
    proposed: Campaign, other_org: Organization, outsider: User, owner: User, ocad: Organization
) -> None:
    actions.decline_partnership(
        Membership.objects.get(user=outsider), PartnerInvitation.objects.get()
    )
    assert PartnerInvitation.objects.get().state == InvitationState.DECLINED
    assert not proposed.partners.exists()

    actions.update_campaign(proposed, partners=[ocad], by=owner)
    pending = PartnerInvitation.objects.pending().get()
    assert pending.organization == ocad
    actions.update_campaign(proposed, partners=[], by=owner)
    pending.refresh_from_db()
    assert pending.state == InvitationState.WITHDRAWN
    with pytest.raises(NotAllowed):
        actions.accept_partnership(answerer_of(ocad), pending)
    assert not proposed.partners.exists()


def test_saving_the_form_unchanged_keeps_the_invitations(
    client: Client, proposed: Campaign, organizer: User
) -> None:
    form = login(client, organizer).get("/manage/action-now/campaigns/fair-contract/edit/")
    assert form.context["form"].initial["partners"] == [
        PartnerInvitation.objects.get().organization_id
    ]


def test_a_partner_ends_its_partnership(
    client: Client, proposed: Campaign, other_org: Organization, outsider: User
) -> None:
    actions.accept_partnership(
        Membership.objects.get(user=outsider), PartnerInvitation.objects.get()
    )
    response = login(client, outsider).post(
        "/manage/elsewhere/campaigns/fair-contract/partnership/end/"
    )
    assert response.status_code == 303
    assert not proposed.partners.exists()
    assert "Elsewhere Alliance" not in Client().get("/campaigns/fair-contract/").content.decode()


def test_partnerships_is_not_a_campaign_address(client: Client, organizer: User) -> None:
    response = login(client, organizer).post(
        "/manage/action-now/campaigns/new/",
        {"title": "X", "slug": "partnerships", "status": "draft", "summary": "", "goal": ""},
    )
    assert response.status_code == 400
    assert not Campaign.objects.exists()
