"""The public RSVP and proposal forms resist floods: a honeypot, a signed form-age
token, a per-network hourly limit, and a daily cap on the emails one address gets."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db.models import F
from django.test import Client
from django.utils import timezone

from groundswell.campaigns.models import Campaign
from groundswell.core.models import RateCounter
from groundswell.events import actions
from groundswell.events.models import RSVP, Event
from groundswell.organizations.models import Organization
from groundswell.people.models import Person, Supporter
from tests.events.conftest import ANA, form_token, rsvp_as

pytestmark = pytest.mark.django_db


def post_rsvp(client: Client, event: Event, ip: str = "127.0.0.1", **fields: Any) -> Any:
    data = {
        **ANA,
        "guests": "0",
        "shifts": [s.pk for s in event.shifts.all()],
        "form_token": form_token(),
    }
    data.update(fields)
    return client.post(f"/events/{event.pk}/rsvp", data, REMOTE_ADDR=ip)


def test_a_filled_honeypot_sees_the_thanks_page_and_nothing_is_stored(
    client: Client, event: Event
) -> None:
    response = post_rsvp(client, event, website="http://spam.example")
    assert response.status_code == 303 and response["Location"].endswith("/thanks")
    assert not RSVP.objects.exists() and not Person.objects.exists()


def test_a_form_sent_too_fast_is_dropped_quietly(
    client: Client, event: Event, settings: Any
) -> None:
    settings.SIGN_MIN_FILL_SECONDS = 3
    response = post_rsvp(client, event, form_token=form_token(age=0))
    assert response.status_code == 303
    assert not RSVP.objects.exists()


@pytest.mark.parametrize("token", ["", "forged"])
def test_a_missing_or_forged_form_token_is_a_clear_400(
    client: Client, event: Event, token: str
) -> None:
    response = post_rsvp(client, event, form_token=token)
    assert response.status_code == 400
    assert "This form was open too long or came from elsewhere" in response.content.decode()
    assert not RSVP.objects.exists()


def test_over_the_hourly_limit_of_a_network_is_a_clear_429(
    client: Client, action_now: Organization, event: Event, settings: Any
) -> None:
    assert settings.RSVP_RATE_IP == (20, 3600)
    settings.RSVP_RATE_IP = (3, 3600)
    for n in range(3):
        assert post_rsvp(client, event, email=f"p{n}@example.org").status_code == 303
    response = post_rsvp(client, event)
    assert response.status_code == 429
    assert "Too many RSVPs came from your network" in response.content.decode()
    assert not RSVP.objects.filter(email=ANA["email"]).exists()
    assert post_rsvp(client, event, ip="198.51.100.7").status_code == 303
    # An hour later the network may RSVP again.
    RateCounter.objects.update(window=F("window") - 1)
    assert post_rsvp(client, event, email="p9@example.org").status_code == 303


def test_rsvping_again_emails_the_details_at_most_once_a_day_per_event(
    client: Client, event: Event, drain: Any, mailbox: Any, action_now: Organization
) -> None:
    for _ in range(4):
        assert post_rsvp(client, event).status_code == 303
    assert RSVP.objects.count() == 1
    drain()
    mailbox.wait_for(2)
    assert len(mailbox.to(ANA["email"])) == 2  # the confirmation, then one more
    # A day later, once more.
    RSVP.objects.update(resent_at=timezone.now() - datetime.timedelta(days=1, minutes=1))
    post_rsvp(client, event)
    post_rsvp(client, event)
    drain()
    mailbox.wait_for(3)
    assert len(mailbox.to(ANA["email"])) == 3


def test_rsvping_again_with_a_box_ticked_keeps_it_for_the_confirmation(
    event: Event, action_now: Organization
) -> None:
    rsvp_as(event, "ana@example.org")
    again = rsvp_as(event, "ana@example.org", consents=[action_now.pk])
    assert again.outcome == actions.Outcome.ALREADY
    assert RSVP.objects.get().consents == [action_now.pk]


# --- Proposing an event ---------------------------------------------------------------------


@pytest.fixture
def campaign(action_now: Organization) -> Campaign:
    return Campaign.objects.create(
        owner=action_now, slug="welcoming-city", title="Welcoming City", status="active"
    )


def post_proposal(client: Client, campaign: Campaign, **fields: Any) -> Any:
    data = {
        "name": "Rosa Martinez",
        "email": "rosa@example.org",
        "campaign": campaign.pk,
        "title": "House meeting",
        "description": "Coffee and a conversation.",
        "kind": "in_person",
        "address": "1800 S Blue Island Ave",
        "starts_at": "2031-04-10T18:00",
        "ends_at": "2031-04-10T19:30",
        "form_token": form_token(),
    }
    data.update(fields)
    return client.post("/events/propose/", data)


def test_a_proposal_with_a_filled_honeypot_is_dropped(client: Client, campaign: Campaign) -> None:
    response = post_proposal(client, campaign, website="spam")
    assert response.status_code == 303 and response["Location"] == "/events/propose/thanks/"
    assert not Event.objects.exists() and not Person.objects.exists()


def test_a_proposal_with_a_forged_token_is_a_clear_400(client: Client, campaign: Campaign) -> None:
    response = post_proposal(client, campaign, form_token="forged")
    assert response.status_code == 400
    assert "This form was open too long or came from elsewhere" in response.content.decode()
    assert not Event.objects.exists()


def test_proposals_over_the_hourly_limit_of_a_network_are_a_clear_429(
    client: Client, campaign: Campaign, settings: Any
) -> None:
    limit, _seconds = settings.EVENT_PROPOSAL_RATE_IP
    assert limit == 5
    for n in range(limit):
        assert post_proposal(client, campaign, email=f"p{n}@example.org").status_code == 303
    response = post_proposal(client, campaign)
    assert response.status_code == 429
    assert "Too many proposals came from your network" in response.content.decode()
    assert Event.objects.count() == limit


def test_a_proposer_is_known_by_name_only_and_their_address_stays_on_the_event(
    client: Client, campaign: Campaign, action_now: Organization
) -> None:
    assert post_proposal(client, campaign).status_code == 303
    supporter = Supporter.objects.get(organization=action_now)
    assert (supporter.first_name, supporter.email) == ("Rosa", "")
    assert Event.objects.get().proposer_email == "rosa@example.org"


def test_one_address_announces_at_most_a_few_proposals_a_day(
    campaign: Campaign, drain: Any, mailbox: Any
) -> None:
    shift = {
        "starts_at": timezone.now() + datetime.timedelta(days=3),
        "ends_at": timezone.now() + datetime.timedelta(days=3, hours=1),
        "capacity": None,
    }
    for n in range(actions.PROPOSAL_NOTICES_PER_DAY + 2):
        actions.propose_event(
            campaign, name="Rosa Martinez", email="rosa@example.org", shift=shift, title=f"E{n}"
        )
    drain()
    mailbox.wait_for(actions.PROPOSAL_NOTICES_PER_DAY)
    assert len(mailbox.messages) == actions.PROPOSAL_NOTICES_PER_DAY
    assert Event.objects.count() == actions.PROPOSAL_NOTICES_PER_DAY + 2
