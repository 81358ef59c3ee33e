"""Reminders a day and two hours before each shift, each sent once."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from groundswell.core import worker
from groundswell.core.models import OutboundEmail
from groundswell.events import actions, emails
from groundswell.events.models import RSVP, Event, Shift
from groundswell.organizations.models import Organization
from tests.events.conftest import make_event, rsvp_as

pytestmark = pytest.mark.django_db


def at(shift: Shift, hours_before: float) -> datetime.datetime:
    return shift.starts_at - datetime.timedelta(hours=hours_before)


def remind(now: datetime.datetime) -> int:
    """Queue the reminders due at `now`, then send what the outbox holds."""
    queued = emails.queue_due_reminders(now=now)
    worker.drain(periodic=False)
    return queued


def reminders(mailbox: Any) -> list[Any]:
    return [m for m in mailbox.messages if m["Subject"].startswith(("Tomorrow:", "Starting soon:"))]


def test_each_reminder_goes_once(event: Event, shift: Shift, mailbox: Any) -> None:
    rsvp_as(event, "ana@example.org")
    assert remind(now=at(shift, 30)) == 0
    assert remind(now=at(shift, 23)) == 1
    assert remind(now=at(shift, 22)) == 0
    assert remind(now=at(shift, 1.5)) == 1
    assert remind(now=at(shift, 1)) == 0
    subjects = [m["Subject"] for m in reminders(mailbox)]
    assert subjects == [
        "Tomorrow: Rally for the Welcoming City Ordinance",
        "Starting soon: Rally for the Welcoming City Ordinance",
    ]
    rsvp = RSVP.objects.get()
    assert rsvp.reminded_day_at and rsvp.reminded_soon_at


def test_only_seats_of_scheduled_events_are_reminded(
    action_now: Organization, mailbox: Any
) -> None:
    event = make_event(action_now, capacity=1)
    shift = event.shifts.get()
    rsvp_as(event, "seat@example.org")
    rsvp_as(event, "waiting@example.org")
    cancelled = rsvp_as(event, "gone@example.org", shift=shift).rsvp
    actions.cancel_rsvp(cancelled)
    assert remind(now=at(shift, 23)) == 1
    assert [m["To"] for m in reminders(mailbox)] == ["seat@example.org"]
    actions.cancel_event(event)
    assert remind(now=at(shift, 1)) == 0


def test_someone_who_rsvped_within_the_day_gets_only_the_later_reminder(
    event: Event, shift: Shift, mailbox: Any
) -> None:
    rsvp = rsvp_as(event, "late@example.org").rsvp
    RSVP.objects.filter(pk=rsvp.pk).update(created_at=at(shift, 10))
    assert remind(now=at(shift, 9)) == 0
    assert remind(now=at(shift, 1)) == 1


def test_a_mail_server_failure_sends_the_reminder_later_and_once(
    event: Event, shift: Shift, mailbox: Any
) -> None:
    rsvp_as(event, "ana@example.org")
    worker.drain(periodic=False)
    mailbox.clear()
    mailbox.refusing = True
    assert remind(at(shift, 23)) == 1
    assert reminders(mailbox) == []
    assert RSVP.objects.get().reminded_day_at is not None  # queued: never queued again
    waiting = OutboundEmail.objects.get(key__startswith="events.reminder:")
    assert waiting.state == "queued" and waiting.attempts == 1
    mailbox.refusing = False
    assert remind(at(shift, 22)) == 0
    OutboundEmail.objects.filter(pk=waiting.pk).update(due_at=timezone.now())
    from groundswell.core import outbox

    outbox.pause.reset()
    worker.drain(periodic=False)
    assert [m["Subject"] for m in reminders(mailbox)] == [
        "Tomorrow: Rally for the Welcoming City Ordinance"
    ]


def test_the_clock_runs_reminders(event: Event, drain: Any, mailbox: Any) -> None:
    rsvp_as(event, "ana@example.org")
    Shift.objects.filter(event=event).update(
        starts_at=timezone.now() + datetime.timedelta(hours=5),
        ends_at=timezone.now() + datetime.timedelta(hours=7),
    )
    RSVP.objects.update(created_at=timezone.now() - datetime.timedelta(days=2))
    drain()
    assert any(m["Subject"].startswith("Tomorrow:") for m in mailbox.wait_for(2))
