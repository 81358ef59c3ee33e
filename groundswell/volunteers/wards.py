"""Volunteers' wards: the worker places a volunteer from their person's address or ZIP
code, through the one routine (groundswell.districts.assignment), like signers and
people. The `ward` a volunteer typed on the form stays what it was: the number they told
us, shown as such; `district` is the ward found from their address, with its precision."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from groundswell.districts import assignment
from groundswell.people.wards import person_place, person_to_go_by
from groundswell.volunteers.models import Volunteer

_fields, _place_of = person_place()


def _pending() -> QuerySet[Any]:
    return Volunteer.objects.filter(person_to_go_by(), located_at__isnull=True)


VOLUNTEERS = assignment.Locatable(
    name="volunteers.volunteers",
    model=Volunteer,
    fields=_fields,
    place_of=_place_of,
    pending=_pending,
)


def register() -> None:
    assignment.register(VOLUNTEERS)
