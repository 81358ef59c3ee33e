"""RSVPs and attendances on a person's timeline, in their data copy, and erased."""

from __future__ import annotations

import pytest

from groundswell.events import actions
from groundswell.events.models import RSVP, Event
from groundswell.events.records import RSVPRecords
from groundswell.organizations.models import Organization
from groundswell.people.models import Person
from groundswell.people.timeline import timeline
from tests.events.conftest import rsvp_as

pytestmark = pytest.mark.django_db


def test_rsvp_and_attendance_are_on_the_hosts_timelines_only(
    event: Event, action_now: Organization, ocad: Organization, other_org: Organization
) -> None:
    rsvp = rsvp_as(event, "ana@example.org").rsvp
    actions.check_in(rsvp)
    person = Person.objects.get()
    kinds = [e.kind for e in timeline(person, action_now)]
    assert "rsvp" in kinds and "attendance" in kinds
    assert {"rsvp", "attendance"} <= {e.kind for e in timeline(person, ocad)}
    assert timeline(person, other_org) == []


def test_the_data_copy_has_the_rsvps(event: Event) -> None:
    rsvp_as(event, "ana@example.org", guests=1)
    [item] = RSVPRecords().export(Person.objects.get())["items"]
    assert (item["email"], item["guests"], item["status"]) == ("ana@example.org", 1, "confirmed")


def test_erasure_anonymizes_rsvps_and_keeps_the_figures(event: Event) -> None:
    rsvp = rsvp_as(event, "ana@example.org", guests=1).rsvp
    RSVP.objects.filter(pk=rsvp.pk).update(ip_address="198.51.100.7")
    actions.check_in(rsvp)
    person = Person.objects.get()
    assert RSVPRecords().erase(person) == 1
    erased = RSVP.objects.get()
    assert (erased.email, erased.first_name, erased.person) == ("", "", None)
    assert erased.ip_address is None
    assert (erased.status, erased.guests, erased.attendance) == ("confirmed", 1, "attended")
    assert event.shifts.get().taken_seats() == 2
    assert RSVPRecords().export(person)["items"] == []


def test_people_who_rsvped_can_be_searched_for(
    event: Event, action_now: Organization, other_org: Organization
) -> None:
    rsvp_as(event, "ana@example.org")
    records = RSVPRecords()
    key = f"event:{event.pk}"
    assert key in dict(records.actions(action_now))
    assert list(records.people_who(key, action_now)) == [{"person_id": Person.objects.get().pk}]
    assert list(records.people_who(key, other_org)) == []
