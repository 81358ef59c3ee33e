"""An RSVP's ticked consents apply only once the address is confirmed from the emailed
link; the seat never waits for it."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from groundswell.events import actions
from groundswell.events.models import RSVP, Event
from groundswell.events.tokens import CONFIRM_SALT, confirm_token
from groundswell.organizations.models import Organization
from groundswell.people import actions as people_actions
from groundswell.people.models import Consent, Person, Supporter
from tests.events.conftest import rsvp_as

pytestmark = pytest.mark.django_db

CONFIRM_LINK = re.compile(r"https?://\S+/events/rsvp/\S+/confirm/")


def ana_rsvp(event: Event, *consents: Organization) -> RSVP:
    return rsvp_as(
        event,
        "ana@example.org",
        first_name="Ana",
        last_name="Reyes",
        phone="312-555-0100",
        consents=[o.pk for o in consents],
    ).rsvp


def test_an_rsvp_grants_no_consent_and_no_contact_details_before_confirmation(
    event: Event, action_now: Organization, ocad: Organization
) -> None:
    rsvp = ana_rsvp(event, action_now)
    assert rsvp.status == RSVP.Status.CONFIRMED  # the seat needs no confirmation
    assert rsvp.consents == [action_now.pk]
    assert not Consent.objects.exists()
    for supporter in Supporter.objects.all():
        assert (supporter.email, supporter.phone, supporter.first_name) == ("", "", "Ana")


def test_the_confirmation_email_carries_the_link_only_when_a_box_was_ticked(
    event: Event, action_now: Organization, drain: Any, mailbox: Any
) -> None:
    rsvp_as(event, "plain@example.org")
    ana_rsvp(event, action_now)
    drain()
    mailbox.wait_for(2)
    [plain] = mailbox.to("plain@example.org")
    [ana] = mailbox.to("ana@example.org")
    assert not CONFIRM_LINK.search(mailbox.text(plain))
    assert CONFIRM_LINK.search(mailbox.text(ana))
    assert "Confirm my email and keep me informed" in mailbox.text(ana)


def test_the_link_shows_a_button_and_only_the_post_grants_consent_to_the_ticked_hosts(
    client: Client, event: Event, action_now: Organization, ocad: Organization
) -> None:
    rsvp = ana_rsvp(event, action_now)
    url = f"/events/rsvp/{confirm_token(rsvp)}/confirm/"
    page = client.get(url)
    assert page.status_code == 200
    assert "Confirm my email and keep me informed" in page.content.decode()
    assert not Consent.objects.exists()  # a mail scanner opening the link grants nothing

    response = client.post(url)
    assert response.status_code == 200
    assert "Your email is confirmed" in response.content.decode()
    person = Person.objects.get()
    consent = Consent.objects.get()
    assert (consent.person, consent.organization) == (person, action_now)
    ours = Supporter.objects.get(person=person, organization=action_now)
    theirs = Supporter.objects.get(person=person, organization=ocad)
    assert (ours.email, ours.phone) == ("ana@example.org", "+13125550100")
    assert (theirs.email, theirs.phone) == ("", "")  # not ticked: name only
    rsvp.refresh_from_db()
    assert rsvp.email_confirmed_at is not None

    again = client.post(url)
    assert again.status_code == 200 and "Already confirmed" in again.content.decode()
    assert Consent.objects.count() == 1


def test_an_unsubscribe_after_the_rsvp_wins_over_a_later_confirmation(
    event: Event, action_now: Organization
) -> None:
    person = people_actions.record_person(email="ana@example.org", first_name="Ana")
    people_actions.grant_consent(person, action_now, source="import")
    rsvp = ana_rsvp(event, action_now)
    RSVP.objects.filter(pk=rsvp.pk).update(created_at=timezone.now() - datetime.timedelta(hours=2))
    people_actions.withdraw_email_consent(person, action_now, source="unsubscribe")
    rsvp.refresh_from_db()
    assert actions.confirm_email(rsvp)
    consent = Consent.objects.get(person=person, organization=action_now)
    assert consent.withdrawn_at is not None  # the later unsubscribe stands


def test_an_rsvp_does_not_renew_a_withdrawn_consent(event: Event, action_now: Organization) -> None:
    person = people_actions.record_person(email="ana@example.org", first_name="Ana")
    people_actions.grant_consent(person, action_now, source="import")
    people_actions.withdraw_email_consent(person, action_now, source="unsubscribe")
    ana_rsvp(event, action_now)
    assert Consent.objects.get(person=person, organization=action_now).withdrawn_at is not None


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_or_expired_link_is_a_clear_400_and_changes_nothing(
    client: Client, event: Event, action_now: Organization, method: str
) -> None:
    rsvp = ana_rsvp(event, action_now)
    good = confirm_token(rsvp)
    old = datetime.datetime.now() - datetime.timedelta(days=400)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("time.time", lambda: old.timestamp())
        expired = signing.dumps({"r": rsvp.pk, "k": "x"}, salt=CONFIRM_SALT)
        expired_good = confirm_token(rsvp)
    for token in ("forged-token", good[:-2] + "xx", expired, expired_good):
        response = getattr(client, method)(f"/events/rsvp/{token}/confirm/")
        assert response.status_code == 400
        assert "This link is not valid" in response.content.decode()
    assert not Consent.objects.exists()
    rsvp.refresh_from_db()
    assert rsvp.email_confirmed_at is None and rsvp.status == RSVP.Status.CONFIRMED
