"""RSVPs' wards: an RSVP gives no address of its own, so once its person has one (or a
ZIP code) the worker places it from that person's address or ZIP code, through the one routine
(groundswell.districts.assignment) — where the people who came to an event live.

An event's own `ward` (the organizer's number for where it meets) is another thing and
stays as it is."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from groundswell.districts import assignment
from groundswell.events.models import RSVP
from groundswell.people.wards import person_place, person_to_go_by

_fields, _place_of = person_place()


def _pending() -> QuerySet[Any]:
    # Until its person has an address or a ZIP code (an RSVP gives neither; a walk-in
    # may have no person) there is nothing to go by: the RSVP waits.
    return RSVP.objects.filter(person_to_go_by(), located_at__isnull=True)


RSVPS = assignment.Locatable(
    name="events.rsvps", model=RSVP, fields=_fields, place_of=_place_of, pending=_pending
)


def register() -> None:
    assignment.register(RSVPS)
