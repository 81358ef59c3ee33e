"""People who RSVPed are told of changes of time or place, and of cancellations."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from groundswell.events import actions
from groundswell.events.models import Event, Shift
from tests.events.conftest import rsvp_as

pytestmark = pytest.mark.django_db


@pytest.fixture
def attendees(event: Event, drain: Any, mailbox: Any) -> None:
    rsvp_as(event, "seat@example.org")
    rsvp_as(event, "seat2@example.org")
    rsvp_as(event, "waiting@example.org")
    gone = rsvp_as(event, "gone@example.org").rsvp
    actions.cancel_rsvp(gone)
    drain()
    mailbox.clear()


def test_a_new_place_is_emailed_to_everyone_who_rsvped(
    event: Event, attendees: None, drain: Any, mailbox: Any
) -> None:
    changed = actions.update_event(event, address="1 Federal Plaza, Chicago")
    assert changed == ["address"]
    drain()
    messages = mailbox.wait_for(3)
    assert sorted(m["To"] for m in messages) == [
        "seat2@example.org",
        "seat@example.org",
        "waiting@example.org",
    ]
    [seat] = mailbox.to("seat@example.org")
    assert seat["Subject"] == "Changed: Rally for the Welcoming City Ordinance"
    assert "1 Federal Plaza, Chicago" in mailbox.text(seat)
    [calendar] = list(seat.iter_attachments())
    assert b"SEQUENCE:1" in calendar.get_payload(decode=True)


def test_a_new_title_alone_emails_nobody(
    event: Event, attendees: None, drain: Any, mailbox: Any
) -> None:
    actions.update_event(event, title="Rally at City Hall")
    drain()
    assert mailbox.messages == []


def test_a_new_shift_time_is_emailed(
    event: Event, shift: Shift, attendees: None, drain: Any, mailbox: Any
) -> None:
    later = shift.starts_at + datetime.timedelta(hours=1)
    assert actions.update_shift(
        shift, starts_at=later, ends_at=later + datetime.timedelta(hours=2), capacity=2
    )
    drain()
    assert len(mailbox.wait_for(3)) == 3


def test_a_cancellation_is_emailed_with_a_cancelled_calendar_file(
    event: Event, attendees: None, drain: Any, mailbox: Any
) -> None:
    assert actions.cancel_event(event) == 3
    assert actions.cancel_event(event) == 0
    drain()
    messages = mailbox.wait_for(3)
    assert {m["Subject"] for m in messages} == {"Cancelled: Rally for the Welcoming City Ordinance"}
    [seat] = mailbox.to("seat@example.org")
    [calendar] = list(seat.iter_attachments())
    assert b"STATUS:CANCELLED" in calendar.get_payload(decode=True)
    assert "Cancel your RSVP" not in mailbox.text(seat)
