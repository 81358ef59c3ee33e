"""RSVPing without an account: seats, people made known, consent, bad input."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from groundswell.events import actions
from groundswell.events.models import RSVP, Event
from groundswell.organizations.models import Organization
from groundswell.people.models import Consent, Person, Supporter
from tests.events.conftest import ANA, form_token, make_event, rsvp_as, soon

pytestmark = pytest.mark.django_db


def post_rsvp(client: Client, event: Event, **fields: Any) -> Any:
    data = {
        **ANA,
        "phone": "",
        "guests": "0",
        "shifts": [s.pk for s in event.shifts.all()],
        "form_token": form_token(),
    }
    data.update(fields)
    return client.post(f"/events/{event.pk}/rsvp", data)


def test_an_rsvp_takes_a_seat_and_makes_the_person_known_to_the_hosts_by_name_only(
    client: Client, event: Event, action_now: Organization, ocad: Organization
) -> None:
    response = post_rsvp(client, event, **{f"consent_{action_now.pk}": "on"}, phone="312-555-0123")
    assert response.status_code == 303
    assert response["Location"] == f"/events/{event.pk}/thanks"
    rsvp = RSVP.objects.get()
    assert (rsvp.status, rsvp.email, rsvp.guests) == ("confirmed", ANA["email"], 0)
    assert rsvp.consents == [action_now.pk] and rsvp.email_confirmed_at is None
    person = Person.objects.get()
    assert rsvp.person == person
    ours = Supporter.objects.get(person=person, organization=action_now)
    theirs = Supporter.objects.get(person=person, organization=ocad)
    # Until the address is confirmed: names only, and no consent, even where ticked.
    assert (ours.email, ours.phone, ours.first_name) == ("", "", "Ana")
    assert (theirs.email, theirs.phone, theirs.first_name) == ("", "", "Ana")
    assert not Consent.objects.exists()
    assert ours.source == f"event:{event.pk}"


def test_consent_boxes_are_unticked_by_default(client: Client, event: Event) -> None:
    page = client.get(f"/events/{event.pk}/").content.decode()
    assert 'name="consent_' in page
    assert "checked" not in page.split('name="consent_')[1].split(">")[0]


def test_the_same_address_twice_keeps_one_rsvp(event: Event) -> None:
    first = rsvp_as(event, "ana@example.org")
    again = rsvp_as(event, "ANA@example.org")
    assert first.outcome == actions.Outcome.CONFIRMED
    assert again.outcome == actions.Outcome.ALREADY
    assert RSVP.objects.count() == 1


def test_guests_take_seats(event: Event) -> None:
    assert rsvp_as(event, "a@example.org", guests=1).outcome == actions.Outcome.CONFIRMED
    assert rsvp_as(event, "b@example.org").outcome == actions.Outcome.WAITLISTED


def test_an_rsvp_to_several_shifts_makes_one_rsvp_each(action_now: Organization) -> None:
    event = make_event(action_now)
    actions.add_shift(event, starts_at=soon(4), ends_at=soon(4, 2), capacity=None)
    results = actions.rsvp(
        event, list(event.shifts.all()), first_name="Ana", last_name="", email="a@example.org"
    )
    assert [r.outcome for r in results] == [actions.Outcome.CONFIRMED] * 2
    assert RSVP.objects.filter(event=event).count() == 2


def test_bad_input_is_explained_and_records_nothing(client: Client, event: Event) -> None:
    response = post_rsvp(client, event, email="not an email", shifts=[], guests="99")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter a valid email address." in page
    assert "Choose at least one time." in page
    assert "Your RSVP has not been recorded yet." in page
    assert RSVP.objects.count() == 0 and Person.objects.count() == 0


def test_an_rsvp_to_a_cancelled_event_is_refused(client: Client, event: Event) -> None:
    actions.cancel_event(event)
    response = post_rsvp(client, event)
    assert response.status_code == 409
    assert "This event is cancelled and takes no more RSVPs." in response.content.decode()
    assert RSVP.objects.count() == 0 and Person.objects.count() == 0


def test_an_rsvp_to_a_past_event_is_refused(client: Client, action_now: Organization) -> None:
    event = make_event(action_now, starts=timezone.now() - datetime.timedelta(days=1))
    response = post_rsvp(client, event)
    assert response.status_code == 409
    assert "This event is over and takes no more RSVPs." in response.content.decode()
    assert RSVP.objects.count() == 0


def test_a_shift_that_started_meanwhile_is_refused_by_the_action(event: Event) -> None:
    shift = event.shifts.get()
    with pytest.raises(actions.RSVPRefused) as refused:
        actions.rsvp(
            event,
            [shift],
            first_name="Ana",
            last_name="",
            email="a@example.org",
            now=shift.starts_at + datetime.timedelta(minutes=1),
        )
    assert refused.value.reason == actions.Refusal.PAST
    assert RSVP.objects.count() == 0 and Person.objects.count() == 0


def test_a_full_shift_without_waitlist_refuses_and_records_nothing(
    client: Client, action_now: Organization
) -> None:
    event = make_event(action_now, capacity=1, waitlist=False)
    rsvp_as(event, "first@example.org")
    response = post_rsvp(client, event)
    assert response.status_code == 409
    assert "This shift is full and has no waitlist." in response.content.decode()
    assert RSVP.objects.count() == 1
    assert not Person.objects.filter(email=ANA["email"]).exists()


def test_a_pending_proposal_and_a_private_event_take_no_rsvps(
    client: Client, action_now: Organization
) -> None:
    private = make_event(action_now, visibility=Event.Visibility.PRIVATE)
    pending = make_event(action_now, approval=Event.Approval.PENDING)
    for event in (private, pending):
        assert client.get(f"/events/{event.pk}/").status_code == 404
        assert post_rsvp(client, event).status_code == 404
    assert RSVP.objects.count() == 0


def test_an_online_events_link_is_never_on_its_page(
    client: Client, action_now: Organization
) -> None:
    event = make_event(
        action_now, kind=Event.Kind.ONLINE, address="", online_url="https://meet.example/xyz"
    )
    page = client.get(f"/events/{event.pk}/").content.decode()
    assert "meet.example" not in page
    assert "The link to join is emailed to everyone with a spot." in page
