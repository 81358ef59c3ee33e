"""The waitlist: a full shift queues RSVPs; a freed seat promotes, with an email."""

from __future__ import annotations

from typing import Any

import pytest

from groundswell.events import actions
from groundswell.events.models import RSVP, Event, Shift
from groundswell.organizations.models import Organization
from tests.events.conftest import make_event, rsvp_as, statuses

pytestmark = pytest.mark.django_db


def test_a_cancellation_promotes_the_first_on_the_waitlist_and_emails_them(
    event: Event, mailbox: Any, drain: Any
) -> None:
    first = rsvp_as(event, "one@example.org").rsvp
    rsvp_as(event, "two@example.org")
    assert rsvp_as(event, "three@example.org").outcome == actions.Outcome.WAITLISTED
    rsvp_as(event, "four@example.org")
    drain()
    mailbox.clear()

    assert actions.cancel_rsvp(first)
    assert statuses(event) == [
        ("one@example.org", "cancelled"),
        ("two@example.org", "confirmed"),
        ("three@example.org", "confirmed"),
        ("four@example.org", "waitlisted"),
    ]
    drain()
    [message] = mailbox.wait_for(1)
    assert message["To"] == "three@example.org"
    assert "A spot opened up" in message["Subject"]
    assert RSVP.objects.get(email="three@example.org").promoted_at is not None


def test_cancelling_twice_changes_nothing_more(event: Event) -> None:
    first = rsvp_as(event, "one@example.org").rsvp
    assert actions.cancel_rsvp(first)
    assert not actions.cancel_rsvp(first)


def test_a_party_too_big_for_the_freed_seat_waits_while_a_smaller_one_goes(
    action_now: Organization,
) -> None:
    event = make_event(action_now, capacity=3)
    first = rsvp_as(event, "one@example.org").rsvp
    rsvp_as(event, "two@example.org", guests=1)
    rsvp_as(event, "party@example.org", guests=2)  # needs 3 seats
    rsvp_as(event, "solo@example.org")
    actions.cancel_rsvp(first)
    assert dict(statuses(event))["party@example.org"] == "waitlisted"
    assert dict(statuses(event))["solo@example.org"] == "confirmed"


def test_more_seats_promote_from_the_waitlist(event: Event, shift: Shift) -> None:
    rsvp_as(event, "one@example.org", guests=1)
    rsvp_as(event, "two@example.org")
    actions.update_shift(shift, starts_at=shift.starts_at, ends_at=shift.ends_at, capacity=3)
    assert dict(statuses(event))["two@example.org"] == "confirmed"


def test_fewer_seats_remove_no_one(event: Event, shift: Shift) -> None:
    rsvp_as(event, "one@example.org", guests=1)
    actions.update_shift(shift, starts_at=shift.starts_at, ends_at=shift.ends_at, capacity=1)
    assert statuses(event) == [("one@example.org", "confirmed")]
