"""Organizers create, edit, add shifts to and cancel events."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from groundswell.accounts.models import User
from groundswell.events.models import Event
from groundswell.organizations.models import Organization
from tests.conftest import login
from tests.events.conftest import rsvp_as

pytestmark = pytest.mark.django_db

NEW = {
    "title": "Know your rights workshop",
    "description": "In Spanish and English.",
    "kind": "in_person",
    "address": "2856 S Millard Ave, Chicago",
    "accessibility": "",
    "neighborhood": "Little Village",
    "ward": "22",
    "online_url": "",
    "time_zone": "America/Chicago",
    "visibility": "public",
    "waitlist": "on",
    "starts_at": "2031-05-02T18:00",
    "ends_at": "2031-05-02T20:00",
    "capacity": "40",
}


def test_an_organizer_creates_an_event_in_its_time_zone(
    client: Client, organizer: User, action_now: Organization
) -> None:
    login(client, organizer)
    response = client.post("/manage/action-now/events/new/", NEW)
    assert response.status_code == 303
    event = Event.objects.get()
    assert (event.owner, event.ward, event.created_by) == (action_now, 22, organizer)
    shift = event.shifts.get()
    assert shift.starts_at.isoformat() == "2031-05-02T23:00:00+00:00"  # 6 pm in Chicago
    assert shift.capacity == 40


def test_bad_event_input_is_explained_and_saves_nothing(client: Client, organizer: User) -> None:
    login(client, organizer)
    bad = {**NEW, "address": "", "ward": "51", "ends_at": "2031-05-02T17:00", "time_zone": "Mars"}
    response = client.post("/manage/action-now/events/new/", bad)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Give the address where people meet." in page
    assert "The end must come after the start." in page
    assert "is not a time zone" in page
    assert Event.objects.count() == 0


def test_editing_the_place_tells_attendees(
    client: Client, organizer: User, event: Event, drain: Any, mailbox: Any
) -> None:
    rsvp_as(event, "ana@example.org")
    drain()
    mailbox.clear()
    login(client, organizer)
    form = client.get(f"/manage/action-now/events/{event.pk}/edit/")
    assert form.status_code == 200
    data = {**NEW, "address": "1 Federal Plaza", "ward": "42"}
    data.pop("starts_at"), data.pop("ends_at"), data.pop("capacity")
    response = client.post(f"/manage/action-now/events/{event.pk}/edit/", data)
    assert response.status_code == 303
    drain()
    [message] = mailbox.wait_for(1)
    assert message["Subject"].startswith("Changed:")


def test_adding_and_moving_a_shift(client: Client, organizer: User, event: Event) -> None:
    login(client, organizer)
    times = {"starts_at": "2031-06-01T10:00", "ends_at": "2031-06-01T12:00", "capacity": ""}
    assert (
        client.post(f"/manage/action-now/events/{event.pk}/shifts/new/", times).status_code == 303
    )
    added = event.shifts.order_by("-starts_at").first()
    assert added is not None and added.capacity is None
    moved = {**times, "starts_at": "2031-06-01T11:00"}
    url = f"/manage/action-now/events/{event.pk}/shifts/{added.pk}/edit/"
    assert client.post(url, moved).status_code == 303
    added.refresh_from_db()
    assert added.starts_at.isoformat() == "2031-06-01T16:00:00+00:00"


def test_cancelling_asks_first_then_tells_everyone(
    client: Client, organizer: User, event: Event
) -> None:
    rsvp_as(event, "ana@example.org")
    login(client, organizer)
    page = client.get(f"/manage/action-now/events/{event.pk}/cancel/")
    assert "This cannot be undone." in page.content.decode()
    assert Event.objects.get().status == "scheduled"
    response = client.post(f"/manage/action-now/events/{event.pk}/cancel/", follow=True)
    assert "1 people who RSVPed are being told" in response.content.decode()
    assert Event.objects.get().status == "cancelled"
