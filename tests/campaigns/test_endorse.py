"""Coalition sign-ons: the form, the email link, moderation, and bad input."""

from __future__ import annotations

import io
import os
import re
from typing import Any

import pytest
from django.core import signing
from django.test import Client
from PIL import Image

from groundswell.accounts.models import User
from groundswell.campaigns import actions
from groundswell.campaigns.models import Campaign, Endorsement, EndorsementState
from groundswell.people.models import Consent, Person, Supporter
from tests.campaigns.conftest import ENDORSER, approved, endorse, png, posted
from tests.conftest import login
from tests.smtp import Mailbox

pytestmark = pytest.mark.django_db


def endorse_url(campaign: Campaign) -> str:
    return f"/campaigns/{campaign.slug}/endorse/"


def test_a_sign_on_is_stored_pending_and_its_contact_gets_a_link(
    client: Client, campaign: Campaign, mailbox: Mailbox, drain: Any
) -> None:
    response = client.post(endorse_url(campaign), {**posted(), "logo": png()})
    assert response.status_code == 303
    assert response["Location"] == f"/campaigns/{campaign.slug}/endorse/thanks"
    endorsement = Endorsement.objects.get()
    assert endorsement.state == EndorsementState.PENDING
    assert endorsement.logo.name.startswith("endorsements/")
    assert endorsement.logo.name.endswith(".png") and "logo" not in endorsement.logo.name
    drain()
    [message] = mailbox.to("omar@swop.example")
    assert "Police Contract Accountability" in message["Subject"]
    link = re.search(r"http://\S+/campaigns/verify/\S+/", Mailbox.text(message))
    assert link, Mailbox.text(message)


def test_the_link_asks_first_then_the_button_confirms(
    client: Client, campaign: Campaign, mailbox: Mailbox, drain: Any
) -> None:
    endorsement = endorse(campaign, consent=True)
    url = f"/campaigns/verify/{actions.verification_token(endorsement)}/"

    response = client.get(url)
    assert response.status_code == 200
    assert "Confirm our endorsement" in response.content.decode()
    endorsement.refresh_from_db()
    assert endorsement.state == EndorsementState.PENDING

    response = client.post(url)
    assert "Your endorsement is confirmed" in response.content.decode()
    endorsement.refresh_from_db()
    assert endorsement.state == EndorsementState.VERIFIED
    person = Person.objects.get()
    assert endorsement.person == person
    supporter = Supporter.objects.get(person=person)
    assert supporter.organization == campaign.owner and supporter.email == "omar@swop.example"
    assert Consent.objects.active().filter(person=person, organization=campaign.owner).exists()
    drain()
    notice = mailbox.to("staff@actionnow.example")
    assert notice and "approve it?" in notice[0]["Subject"]


def test_without_consent_the_owner_learns_no_email_address(campaign: Campaign) -> None:
    endorsement = endorse(campaign)
    actions.verify_endorsement(actions.verification_token(endorsement))
    supporter = Supporter.objects.get()
    assert supporter.email == ""
    assert not Consent.objects.exists()


def test_a_confirmed_sign_on_is_not_shown_until_approved(
    client: Client, campaign: Campaign
) -> None:
    endorsement = endorse(campaign)
    actions.verify_endorsement(actions.verification_token(endorsement))
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "No organization has endorsed this campaign yet." in page
    assert "0 organizations endorse" not in page
    assert "Southwest Organizing Project" not in page

    actions.moderate_endorsement(endorsement, approve=True, by=None)
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "1 organization endorses" in page
    assert "Southwest Organizing Project" in page
    assert "Our members stand with this campaign." in page


def test_the_owners_organizers_approve_and_reject_from_the_dashboard(
    client: Client, campaign: Campaign, organizer: User
) -> None:
    endorsement = endorse(campaign)
    actions.verify_endorsement(actions.verification_token(endorsement))
    url = f"/manage/action-now/campaigns/{campaign.slug}/endorsements/{endorsement.pk}/moderate/"
    login(client, organizer)
    dashboard = client.get(f"/manage/action-now/campaigns/{campaign.slug}/").content.decode()
    assert "Approve Southwest Organizing Project" in dashboard

    assert client.post(url, {"decision": "approve"}).status_code == 303
    endorsement.refresh_from_db()
    assert endorsement.state == EndorsementState.APPROVED
    assert endorsement.moderated_by == organizer

    client.post(url, {"decision": "reject"})
    endorsement.refresh_from_db()
    assert endorsement.state == EndorsementState.REJECTED
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "No organization has endorsed this campaign yet." in page


def test_an_unconfirmed_sign_on_cannot_be_approved(
    client: Client, campaign: Campaign, organizer: User
) -> None:
    endorsement = endorse(campaign)
    url = f"/manage/action-now/campaigns/{campaign.slug}/endorsements/{endorsement.pk}/moderate/"
    response = login(client, organizer).post(url, {"decision": "approve"}, follow=True)
    assert "not confirmed by email yet" in response.content.decode()
    endorsement.refresh_from_db()
    assert endorsement.state == EndorsementState.PENDING


def test_a_demand_can_be_endorsed_on_its_own(client: Client, campaign: Campaign) -> None:
    demand = campaign.demands.last()
    assert demand is not None
    approved(campaign, demand=demand)
    page = client.get(campaign.get_absolute_url()).content.decode()
    assert "1 organization endorses this demand" in page
    assert "1 organization endorses" in page


def test_an_organization_counts_once_however_often_it_signs_on(
    client: Client, campaign: Campaign
) -> None:
    approved(campaign)
    approved(campaign, demand=campaign.demands.first())
    approved(campaign, organization_name="Hana Center", contact_email="ji@hana.example")
    assert "2 organizations endorse" in client.get(campaign.get_absolute_url()).content.decode()


# --- Bad input ----------------------------------------------------------------------------


def test_a_forged_link_is_refused_and_changes_nothing(client: Client, campaign: Campaign) -> None:
    endorsement = endorse(campaign)
    forged = signing.dumps({"n": endorsement.pk, "e": "0" * 16}, salt="wrong salt")
    response = client.post(f"/campaigns/verify/{forged}/")
    assert response.status_code == 400
    assert "not valid" in response.content.decode()
    other_email = signing.dumps({"n": endorsement.pk, "e": "f" * 16}, salt=actions.VERIFY_SALT)
    assert client.post(f"/campaigns/verify/{other_email}/").status_code == 400
    endorsement.refresh_from_db()
    assert endorsement.state == EndorsementState.PENDING
    assert not Person.objects.exists()


def test_an_expired_link_is_refused_and_changes_nothing(
    client: Client, campaign: Campaign, settings: Any
) -> None:
    endorsement = endorse(campaign)
    token = actions.verification_token(endorsement)
    settings.VERIFICATION_MAX_AGE_DAYS = 0
    response = client.post(f"/campaigns/verify/{token}/")
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    endorsement.refresh_from_db()
    assert endorsement.state == EndorsementState.PENDING


def test_a_reused_link_changes_nothing(client: Client, campaign: Campaign) -> None:
    endorsement = endorse(campaign)
    url = f"/campaigns/verify/{actions.verification_token(endorsement)}/"
    client.post(url)
    response = client.post(url)
    assert "already confirmed" in response.content.decode()
    assert Person.objects.count() == 1


def test_the_same_organization_and_email_cannot_endorse_twice(
    client: Client, campaign: Campaign
) -> None:
    endorse(campaign)
    duplicate = {
        **posted(),
        "organization_name": "  southwest   ORGANIZING project ",
        "contact_email": "Omar@SWOP.example",
        "statement": "Another statement",
        "logo": png(),
    }
    response = client.post(endorse_url(campaign), duplicate)
    assert response.status_code == 409
    assert "has already endorsed this with this email address" in response.content.decode()
    assert Endorsement.objects.count() == 1
    assert Endorsement.objects.get().statement == ENDORSER["statement"]


def test_another_email_from_the_same_organization_is_a_new_sign_on(campaign: Campaign) -> None:
    endorse(campaign)
    endorse(campaign, contact_email="ana@swop.example")
    assert Endorsement.objects.count() == 2


def test_an_oversized_logo_is_refused(client: Client, campaign: Campaign, settings: Any) -> None:
    settings.MAX_UPLOAD_BYTES = 1024
    buffer = io.BytesIO()
    Image.frombytes("RGB", (100, 100), os.urandom(30_000)).save(buffer, "PNG")
    big = png()
    big.file = io.BytesIO(buffer.getvalue())
    big.size = len(buffer.getvalue())
    response = client.post(endorse_url(campaign), {**posted(), "logo": big})
    assert response.status_code == 400
    assert "the largest allowed is 1.0" in response.content.decode()
    assert not Endorsement.objects.exists()


def test_a_logo_that_is_not_an_image_is_refused(client: Client, campaign: Campaign) -> None:
    fake = png()
    fake.file = io.BytesIO(b"<svg onload=alert(1)>")
    fake.size = 21
    response = client.post(endorse_url(campaign), {**posted(), "logo": fake})
    assert response.status_code == 400
    assert "Upload a valid image" in response.content.decode()
    assert not Endorsement.objects.exists()


def test_missing_fields_are_explained(client: Client, campaign: Campaign) -> None:
    response = client.post(endorse_url(campaign), {"contact_email": "not an email"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Type your organization" in page
    assert "Enter a valid email address." in page
    assert not Endorsement.objects.exists()


def test_a_demand_of_another_campaign_is_refused(
    client: Client, campaign: Campaign, draft_campaign: Campaign, owner: User
) -> None:
    other = actions.create_campaign(
        owner=campaign.owner, created_by=owner, slug="other", title="Other", demands=["X"]
    )
    foreign = other.demands.get()
    response = client.post(endorse_url(campaign), {**posted(), "demand": foreign.pk})
    assert response.status_code == 400
    response = client.post(endorse_url(campaign), {**posted(), "demand": "1; drop"})
    assert response.status_code == 400
    assert not Endorsement.objects.exists()


def test_a_campaign_not_running_takes_no_sign_ons(client: Client, campaign: Campaign) -> None:
    actions.update_campaign(campaign, status=Campaign.Status.ENDED)
    response = client.post(endorse_url(campaign), posted())
    assert response.status_code == 409
    assert "not taking endorsements" in response.content.decode()
    assert not Endorsement.objects.exists()


def test_a_draft_campaign_cannot_be_endorsed(client: Client, draft_campaign: Campaign) -> None:
    assert client.post(endorse_url(draft_campaign), ENDORSER).status_code == 404
    assert not Endorsement.objects.exists()
