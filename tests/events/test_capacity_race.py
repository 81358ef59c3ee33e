"""Two RSVPs for the last seat at once (PostgreSQL): exactly one gets it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from groundswell.events import actions
from groundswell.events.models import RSVP, Event
from groundswell.organizations.models import Organization
from tests.events.conftest import make_event, rsvp_as

pytestmark = [pytest.mark.postgresql, pytest.mark.django_db(transaction=True)]


def in_threads(n: int, work: Callable[[int], object]) -> list[object]:
    barrier = threading.Barrier(n)

    def run(i: int) -> object:
        barrier.wait()
        try:
            return work(i)
        finally:
            connection.close()

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(run, range(n)))


def test_two_rsvps_for_the_last_seat_give_it_to_exactly_one(action_now: Organization) -> None:
    event = make_event(action_now, capacity=2)
    rsvp_as(event, "first@example.org")  # one seat left

    results = in_threads(2, lambda i: rsvp_as(event, f"racer{i}@example.org").outcome)

    assert sorted(r.value for r in results) == ["confirmed", "waitlisted"]  # type: ignore[attr-defined]
    assert RSVP.objects.filter(event=event, status="confirmed").count() == 2


def test_many_at_once_never_overfill_a_shift(action_now: Organization) -> None:
    event = make_event(action_now, capacity=5)
    results = in_threads(12, lambda i: rsvp_as(event, f"r{i}@example.org").outcome)
    assert results.count(actions.Outcome.CONFIRMED) == 5
    assert results.count(actions.Outcome.WAITLISTED) == 7
    assert event.shifts.get().taken_seats() == 5


def test_a_cancellation_racing_new_rsvps_promotes_without_overfilling(
    action_now: Organization,
) -> None:
    event = make_event(action_now, capacity=1)
    seated = rsvp_as(event, "seated@example.org").rsvp
    rsvp_as(event, "waiting@example.org")

    def work(i: int) -> object:
        if i == 0:
            return actions.cancel_rsvp(seated)
        return rsvp_as(event, f"late{i}@example.org").outcome

    in_threads(4, work)
    confirmed = RSVP.objects.filter(event=event, status="confirmed")
    assert list(confirmed.values_list("email", flat=True)) == ["waiting@example.org"]
    assert Event.objects.get(pk=event.pk).shifts.get().taken_seats() == 1
