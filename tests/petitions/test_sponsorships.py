"""Co-sponsors by invitation: naming another organization asks it, and only its owners or
admins say yes (/manage/<org>/petitions/sponsorships/). Until then nothing of it shows:
not under "Sponsored by", not on the sign form, and it learns no signer. Either side may
end a co-sponsorship later."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.organizations.actions import NotAllowed
from groundswell.organizations.models import InvitationState, Membership, Organization, Role
from groundswell.people.models import Person
from groundswell.petitions import actions
from groundswell.petitions.models import Petition, SponsorInvitation
from tests.conftest import SIGNER, login, make_organizer
from tests.smtp import Mailbox

pytestmark = pytest.mark.django_db

SPONSORSHIPS = reverse("petitions_manage:sponsorships", args=["ocad"])


@pytest.fixture
def ocad_owner(ocad: Organization) -> User:
    """Olga owns OCAD: she answers for it."""
    return make_organizer("olga@ocad.example", ocad, Role.OWNER)


@pytest.fixture
def invited(action_now: Organization, ocad: Organization, owner: User) -> Petition:
    """Action Now's open petition, naming OCAD as co-sponsor, which has not answered."""
    petition = actions.create_petition(
        owner=action_now,
        created_by=owner,
        sponsors=[ocad],
        targets=[{"name": "Brandon Johnson", "title": "Mayor"}],
        slug="peacekeepers",
        title="Fund the Peacekeepers",
        ask="1. Fund the Peacekeepers program fully.",
    )
    actions.publish(petition)
    return petition


def answer_url(answer: str, invitation: SponsorInvitation) -> str:
    return reverse(f"petitions_manage:{answer}_sponsorship", args=["ocad", invitation.pk])


def sign_and_confirm(petition: Petition, **fields: Any) -> Person:
    signature = actions.record_signature(
        petition, **SIGNER, email_normalized=SIGNER["email"], **fields
    ).signature
    result = actions.verify_signature(actions.verification_token(signature))
    assert result.signature is not None and result.signature.person is not None
    return result.signature.person


def public_page(client: Client, petition: Petition) -> str:
    return client.get(petition.get_absolute_url()).content.decode()


def test_a_named_organization_shows_nowhere_until_its_owner_accepts(
    client: Client, invited: Petition, ocad: Organization, ocad_owner: User
) -> None:
    signer = sign_and_confirm(invited)

    page = public_page(client, invited)
    assert ocad.name not in page
    assert f"consent_{ocad.pk}" not in page
    assert ocad not in invited.organizations
    assert not Person.objects.visible_to(ocad).exists()
    assert (
        login(client, ocad_owner)
        .get(reverse("petitions_manage:dashboard", args=["ocad", invited.slug]))
        .status_code
        == 404
    )

    invitation = SponsorInvitation.objects.get()
    sponsorships = client.get(SPONSORSHIPS).content.decode()
    assert "Fund the Peacekeepers program fully." in sponsorships
    response = client.post(answer_url("accept", invitation), follow=True)

    assert "Organized Communities Against Deportations now co-sponsors" in (
        response.content.decode()
    )
    client.logout()
    page = public_page(client, invited)
    assert ocad.name in page
    assert f"consent_{ocad.pk}" in page
    assert ocad in Petition.objects.get(pk=invited.pk).organizations
    # The signer who confirmed before becomes known to it, without contact details.
    assert list(Person.objects.visible_to(ocad)) == [signer]
    invitation.refresh_from_db()
    assert (invitation.state, invitation.decided_by) == (InvitationState.ACCEPTED, ocad_owner)


def test_an_organizer_of_the_invited_organization_cannot_accept(
    client: Client, invited: Petition, ocad: Organization, ocad_organizer: User
) -> None:
    invitation = SponsorInvitation.objects.get()

    page = login(client, ocad_organizer).get(SPONSORSHIPS).content.decode()
    assert "Only an owner or an admin of Organized Communities Against Deportations" in page
    assert answer_url("accept", invitation) not in page
    response = client.post(answer_url("accept", invitation), follow=True)

    assert (
        "Only an owner or an admin of Organized Communities Against Deportations can decide this."
        in response.content.decode()
    )
    assert ocad not in Petition.objects.get(pk=invited.pk).organizations
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.PENDING


def test_nobody_outside_the_invited_organization_answers_for_it(
    client: Client, invited: Petition, outsider: User, owner: User
) -> None:
    invitation = SponsorInvitation.objects.get()

    assert login(client, outsider).post(answer_url("accept", invitation)).status_code == 403
    # The inviting organization's own owner cannot accept on OCAD's behalf either.
    assert login(client, owner).post(answer_url("accept", invitation)).status_code == 403
    mine = reverse("petitions_manage:accept_sponsorship", args=["action-now", invitation.pk])
    assert client.post(mine).status_code == 404
    invitation.refresh_from_db()
    assert invitation.state == InvitationState.PENDING


def test_a_declined_invitation_never_shows(
    client: Client, invited: Petition, ocad: Organization, ocad_owner: User, owner: User
) -> None:
    invitation = SponsorInvitation.objects.get()

    response = login(client, ocad_owner).post(answer_url("decline", invitation), follow=True)
    assert "You declined to co-sponsor “Fund the Peacekeepers”." in response.content.decode()
    response = client.post(answer_url("accept", invitation), follow=True)
    assert "This invitation was already answered or withdrawn." in response.content.decode()

    client.logout()
    assert ocad.name not in public_page(client, invited)
    assert Petition.objects.get(pk=invited.pk).organizations == [invited.owner]
    dashboard = reverse("petitions_manage:dashboard", args=["action-now", invited.slug])
    assert "declined on" in login(client, owner).get(dashboard).content.decode()


def test_unticking_a_named_organization_withdraws_its_invitation(
    invited: Petition, ocad: Organization, ocad_owner: User, owner: User
) -> None:
    actions.update_petition(invited, sponsors=[], by=owner)

    invitation = SponsorInvitation.objects.get()
    assert (invitation.state, invitation.decided_by) == (InvitationState.WITHDRAWN, owner)
    with pytest.raises(NotAllowed):
        actions.accept_sponsorship(Membership.objects.get(user=ocad_owner), invitation)
    assert ocad not in invited.organizations


def test_saving_the_form_again_invites_no_one_twice(
    invited: Petition, ocad: Organization, owner: User
) -> None:
    actions.update_petition(invited, sponsors=[ocad], by=owner)
    actions.update_petition(invited, sponsors=[ocad], by=owner)

    assert SponsorInvitation.objects.count() == 1


def test_the_invited_organizations_owners_and_admins_are_emailed(
    invited: Petition,
    ocad: Organization,
    ocad_owner: User,
    ocad_organizer: User,
    other_org: Organization,
    owner: User,
    mailbox: Mailbox,
    drain: Any,
    settings: Any,
) -> None:
    settings.BASE_URL = "https://groundswell.example"
    admin = make_organizer("ines@ocad.example", ocad, Role.ADMIN)
    SponsorInvitation.objects.all().delete()  # invited before OCAD had staff

    actions.update_petition(invited, sponsors=[ocad], by=owner)
    drain()

    messages = mailbox.wait_for(2)
    assert sorted(m["To"] for m in messages) == sorted([ocad_owner.email, admin.email])
    [message] = mailbox.to(ocad_owner.email)
    assert message["Subject"] == "Action Now invites you to co-sponsor a petition"
    text = Mailbox.text(message)
    assert (
        "Action Now invites Organized Communities Against Deportations to co-sponsor the "
        "petition “Fund the Peacekeepers”" in text
    )
    assert "https://groundswell.example/manage/ocad/petitions/sponsorships/" in text


def test_no_email_goes_out_for_an_invitation_answered_before_it_was_sent(
    action_now: Organization,
    ocad: Organization,
    ocad_owner: User,
    owner: User,
    mailbox: Mailbox,
    drain: Any,
) -> None:
    petition = actions.create_petition(
        owner=action_now, created_by=owner, targets=[{"name": "Mayor"}], slug="p", title="P"
    )
    invitation = actions.invite_sponsor(petition, ocad, by=owner)
    actions.accept_sponsorship(Membership.objects.get(user=ocad_owner), invitation)

    drain()

    assert mailbox.to(ocad_owner.email) == []


def test_a_co_sponsor_stops_co_sponsoring_but_not_by_an_organizer(
    client: Client, petition: Petition, ocad: Organization, ocad_organizer: User
) -> None:
    url = reverse("petitions_manage:stop_sponsoring", args=["ocad", petition.slug])

    response = login(client, ocad_organizer).post(url, follow=True)
    assert "can decide this." in response.content.decode()
    assert ocad in Petition.objects.get(pk=petition.pk).organizations

    olga = Membership.objects.get(organization=ocad, role=Role.OWNER).user
    response = login(client, olga).post(url, follow=True)
    assert "no longer co-sponsors" in response.content.decode()
    assert ocad not in Petition.objects.get(pk=petition.pk).organizations
    client.logout()
    assert f"consent_{ocad.pk}" not in public_page(client, petition)


def test_the_owner_ends_a_co_sponsorship_by_unticking_it(
    petition: Petition, ocad: Organization, owner: User
) -> None:
    actions.update_petition(petition, sponsors=[], by=owner)

    assert petition.organizations == [petition.owner]


def test_the_overview_and_the_page_say_an_invitation_waits(
    client: Client, invited: Petition, ocad_owner: User
) -> None:
    login(client, ocad_owner)

    home = client.get(reverse("organizations_manage:home", args=["ocad"])).content.decode()
    assert "An invitation to co-sponsor a petition" in home
    assert SPONSORSHIPS in home


def test_the_owner_cannot_be_invited_to_its_own_petition(
    invited: Petition, action_now: Organization
) -> None:
    with pytest.raises(NotAllowed):
        actions.invite_sponsor(invited, action_now, by=None)


def test_the_admin_shows_co_sponsors_but_does_not_set_them(
    client: Client, petition: Petition, other_org: Organization
) -> None:
    operator = User.objects.create_superuser("ops@groundswell.example", "x" * 12)
    url = reverse("admin:petitions_petition_change", args=[petition.pk])
    page = login(client, operator).get(url).content.decode()

    assert 'name="sponsors"' not in page
    assert "Organized Communities Against Deportations" in page


def test_the_shared_fixture_co_sponsors_through_an_accepted_invitation(
    petition: Petition, ocad: Organization
) -> None:
    [invitation] = SponsorInvitation.objects.filter(petition=petition)

    assert invitation.state == InvitationState.ACCEPTED
    assert petition.organizations == [petition.owner, ocad]
