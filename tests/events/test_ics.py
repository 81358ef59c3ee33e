"""The .ics calendar file (RFC 5545) attached to RSVP emails."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from groundswell.events import actions, ics
from groundswell.events.models import Event, Shift
from groundswell.organizations.models import Organization
from tests.events.conftest import make_event, rsvp_as

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2030, 3, 1, 12, 0, tzinfo=datetime.UTC)


def unfold(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def test_the_calendar_has_crlf_lines_utc_times_and_a_stable_uid(
    event: Event, shift: Shift, settings: Any
) -> None:
    settings.BASE_URL = "https://groundswell.example"
    text = ics.calendar(shift, now=NOW)
    assert text.endswith("\r\n")
    assert "\n" not in text.replace("\r\n", "")
    lines = unfold(text)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines and "BEGIN:VEVENT" in lines
    assert f"UID:event-{event.pk}-shift-{shift.pk}@groundswell.example" in lines
    assert "DTSTAMP:20300301T120000Z" in lines
    start = shift.starts_at.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTART:{start}" in lines
    assert "STATUS:CONFIRMED" in lines and "SEQUENCE:0" in lines
    assert "LOCATION:121 N LaSalle St\\, Chicago\\, IL 60602" in lines
    assert f"URL:https://groundswell.example/events/{event.pk}/" in lines


def test_text_is_escaped() -> None:
    assert ics.escape("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"


def test_long_lines_fold_at_75_octets_without_splitting_characters() -> None:
    line = "DESCRIPTION:" + "Marcha por la niñez y las familias — ¡únete! " * 5
    folded = ics.fold(line)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode()) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(pieces)) == line


def test_an_online_link_is_in_the_file_only_for_a_seat(action_now: Organization) -> None:
    event = make_event(
        action_now, kind=Event.Kind.ONLINE, address="", online_url="https://meet.example/xyz"
    )
    shift = event.shifts.get()
    assert "meet.example" not in ics.calendar(shift)
    assert "LOCATION:https://meet.example/xyz" in unfold(ics.calendar(shift, include_link=True))


def test_the_confirmation_email_carries_the_file(event: Event, mailbox: Any, drain: Any) -> None:
    rsvp_as(event, "ana@example.org")
    drain()
    [message] = mailbox.wait_for(1)
    assert "You're going" in message["Subject"]
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_filename() == f"event-{event.pk}.ics"
    raw = attachment.get_payload(decode=True)
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n")
    assert b"SUMMARY:Rally for the Welcoming City Ordinance\r\n" in raw


def test_a_waitlist_email_has_no_file(action_now: Organization, mailbox: Any, drain: Any) -> None:
    event = make_event(action_now, capacity=1)
    rsvp_as(event, "one@example.org")
    rsvp_as(event, "two@example.org")
    drain()
    mailbox.wait_for(2)
    [waiting] = mailbox.to("two@example.org")
    assert "waitlist" in waiting["Subject"]
    assert list(waiting.iter_attachments()) == []


def test_a_cancelled_events_file_says_so_with_a_higher_sequence(event: Event) -> None:
    actions.cancel_event(event)
    lines = unfold(ics.calendar(Event.objects.get(pk=event.pk).shifts.get()))
    assert "STATUS:CANCELLED" in lines and "SEQUENCE:1" in lines
