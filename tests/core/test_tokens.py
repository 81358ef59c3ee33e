"""core.tokens: one signed-token helper for every emailed link and form token. Links in
emails sent before it existed (made with django.core.signing directly, same salts and
payloads) keep working."""

from __future__ import annotations

import hashlib
import time
from typing import Any

import pytest
from django.core import signing
from django.test import Client

from groundswell.campaigns import actions as campaign_actions
from groundswell.campaigns.models import Campaign
from groundswell.core import tokens
from groundswell.core.tokens import LinkOutcome
from groundswell.events import tokens as event_tokens
from groundswell.organizations import actions as organization_actions
from groundswell.organizations.models import Invitation, Organization, Role
from groundswell.people import actions as people_actions
from groundswell.people import tokens as people_tokens
from groundswell.people.rights import actions as rights
from groundswell.petitions import actions as petition_actions
from groundswell.petitions.integrity import SIGN_SCREEN
from groundswell.petitions.models import Petition
from groundswell.volunteers import actions as volunteer_actions
from tests.campaigns.conftest import endorse
from tests.conftest import SIGNER
from tests.events.conftest import make_event, rsvp_as

pytestmark = pytest.mark.django_db


def old_fingerprint(*parts: object) -> str:
    """How each app fingerprinted a token's record before core.tokens."""
    return hashlib.sha256(":".join(str(p) for p in parts).encode()).hexdigest()[:16]


# --- The helper ---------------------------------------------------------------------------


def test_a_token_reads_back_with_its_payload_and_when_it_was_made() -> None:
    token = tokens.make({"s": 7}, salt="test.salt")
    reading = tokens.read(token, salt="test.salt", max_age=60)
    assert reading.valid and reading.payload == {"s": 7}
    assert reading.issued_at is not None and abs(reading.issued_at - time.time()) < 5
    assert reading.get("s", int) == 7 and reading.get("s", str) is None


@pytest.mark.parametrize(
    "token", ["", "garbage", "a:b:c", tokens.make(1, salt="another salt"), "x" * 5000]
)
def test_a_forged_or_garbled_token_is_invalid(token: str) -> None:
    reading = tokens.read(token, salt="test.salt")
    assert not reading.valid and not reading.expired and reading.payload is None


def test_a_token_past_its_max_age_is_expired_not_invalid() -> None:
    token = tokens.make(1, salt="test.salt")
    time.sleep(1.1)
    reading = tokens.read(token, salt="test.salt", max_age=1)
    assert reading.expired and not reading.valid


def test_a_token_made_under_a_retired_key_still_reads(settings: Any) -> None:
    token = tokens.make([1, 2], salt="test.salt")
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a new secret key that is long enough to be accepted here"
    assert tokens.read(token, salt="test.salt").payload == [1, 2]


@pytest.mark.parametrize(
    ("method", "expected"), [("GET", "look"), ("HEAD", "look"), ("POST", "act")]
)
def test_following_a_link_only_acts_on_post(method: str, expected: str) -> None:
    from django.test import RequestFactory

    request = RequestFactory().generic(method, "/")
    assert tokens.follow(request, "t", act=lambda t: "act", look=lambda t: "look") == expected


def test_the_outcomes_answer_with_their_statuses() -> None:
    statuses = {outcome: outcome.status for outcome in LinkOutcome}
    assert statuses[LinkOutcome.EXPIRED] == 410 and statuses[LinkOutcome.INVALID] == 400
    assert statuses[LinkOutcome.PENDING] == statuses[LinkOutcome.CONFIRMED] == 200


# --- Links in emails already sent ----------------------------------------------------------


def test_a_signature_link_made_the_old_way_still_confirms(petition: Petition) -> None:
    signature = petition_actions.record_signature(
        petition, **SIGNER, email_normalized=SIGNER["email"]
    ).signature
    old = signing.dumps(
        {"s": signature.pk, "e": old_fingerprint(signature.email_normalized)},
        salt="groundswell.petitions.verify",
        compress=True,
    )
    assert petition_actions.verification_token(signature).split(":")[0] == old.split(":")[0]
    assert petition_actions.check_verification(old).outcome == LinkOutcome.PENDING
    assert petition_actions.verify_signature(old).outcome == LinkOutcome.CONFIRMED
    assert petition_actions.verify_signature(old).outcome == LinkOutcome.ALREADY_CONFIRMED


def test_a_signature_link_for_an_address_since_changed_is_invalid(petition: Petition) -> None:
    signature = petition_actions.record_signature(
        petition, **SIGNER, email_normalized=SIGNER["email"]
    ).signature
    token = petition_actions.verification_token(signature)
    type(signature).objects.filter(pk=signature.pk).update(email_normalized="other@example.org")
    assert petition_actions.check_verification(token).outcome == LinkOutcome.INVALID


def test_a_sign_on_link_made_the_old_way_still_confirms(action_now: Organization) -> None:
    campaign = campaign_actions.create_campaign(
        owner=action_now, created_by=None, slug="contract", title="Police Contract"
    )
    campaign_actions.update_campaign(campaign, status=Campaign.Status.ACTIVE)
    endorsement = endorse(campaign)
    old = signing.dumps(
        {"n": endorsement.pk, "e": old_fingerprint(endorsement.email_normalized)},
        salt="groundswell.campaigns.endorsement",
    )
    assert campaign_actions.verify_endorsement(old).outcome == LinkOutcome.CONFIRMED


def test_a_volunteer_link_made_the_old_way_still_confirms(action_now: Organization) -> None:
    signup = volunteer_actions.record_signup(
        action_now,
        campaign=None,
        interests=[],
        email_normalized="ana@example.org",
        consent=False,
        language="en",
        ip_address=None,
        first_name="Ana",
        email="ana@example.org",
    )
    old = signing.dumps(
        {"s": signup.pk, "e": old_fingerprint(signup.email_normalized)},
        salt="groundswell.volunteers.confirm",
    )
    assert volunteer_actions.confirm_signup(old).outcome == LinkOutcome.CONFIRMED


def test_rsvp_links_made_the_old_way_still_cancel_and_confirm(action_now: Organization) -> None:
    rsvp = rsvp_as(make_event(action_now), "ana@example.org").rsvp
    cancel = signing.dumps(
        {"r": rsvp.pk, "k": old_fingerprint(rsvp.pk, rsvp.key)}, salt="groundswell.events.cancel"
    )
    confirm = signing.dumps(
        {"r": rsvp.pk, "k": old_fingerprint(rsvp.pk, rsvp.key, rsvp.email_normalized)},
        salt="groundswell.events.confirm",
    )
    assert event_tokens.read_cancel_token(cancel) == rsvp
    assert event_tokens.read_confirm_token(confirm) == rsvp
    assert event_tokens.read_cancel_token(confirm) is None  # each salt its own


def test_an_invitation_made_the_old_way_still_opens(action_now: Organization, owner: Any) -> None:
    membership = owner.memberships.get(organization=action_now)
    invitation = organization_actions.invite_staff(membership, "new@example.org", Role.ORGANIZER)
    old = signing.dumps(
        [invitation.pk, invitation.email],
        salt="groundswell.organizations.invitation",
        compress=True,
    )
    assert organization_actions.open_invitation(old) == invitation
    Invitation.objects.filter(pk=invitation.pk).update(email="changed@example.org")
    with pytest.raises(organization_actions.InvitationInvalid):
        organization_actions.open_invitation(old)


def test_an_unsubscribe_link_made_the_old_way_still_reads(action_now: Organization) -> None:
    person = people_actions.record_person(email="ana@example.org", first_name="Ana")
    old = signing.dumps(
        [person.pk, action_now.pk], salt="groundswell.people.unsubscribe", compress=True
    )
    assert people_tokens.read_unsubscribe_token(old) == (person, action_now)
    assert people_tokens.read_unsubscribe_token(old[:-2]) is None


def test_a_data_link_made_the_old_way_still_opens(action_now: Organization) -> None:
    person = people_actions.record_person(email="ana@example.org", first_name="Ana")
    fingerprint = rights.address_fingerprint("ana@example.org")
    old = signing.dumps(
        {"p": person.pk, "a": fingerprint}, salt=rights.DATA_LINK_SALT, compress=True
    )
    grant = rights.open_data_link(old)
    assert grant.person_id == person.pk
    assert abs(grant.expires_at - (time.time() + rights.link_max_age())) < 5


def test_a_form_token_served_before_the_upgrade_still_counts_its_age(client: Client) -> None:
    old = signing.dumps(int(time.time() - 60), salt="groundswell.petitions.form")
    age = SIGN_SCREEN.token_age(old)
    assert age is not None and 59 <= age < 65
