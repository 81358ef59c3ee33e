"""People's wards: the worker locates each person from their street address (with city
and state) or ZIP code, through the one routine (groundswell.districts.assignment), after
the person is stored; a filled-in address starts over (people.actions.record_person)."""

from __future__ import annotations

from django.db.models import Q

from groundswell.districts import assignment
from groundswell.people.models import Person


def _place_of(row: assignment.Row) -> assignment.Place:
    return assignment.Place.of_address(row["address"], row["city"], row["state"], row["zip_code"])


PEOPLE = assignment.Locatable(
    name="people.people",
    model=Person,
    fields=("address", "city", "state", "zip_code"),
    place_of=_place_of,
)


def person_place(prefix: str = "person__") -> tuple[tuple[str, ...], assignment.PlaceOf]:
    """The fields and place_of for a record located by its person's address (an RSVP,
    a volunteer): the same place as the person's own, so the same geocoded answer."""
    fields = tuple(f"{prefix}{name}" for name in PEOPLE.fields)

    def place_of(row: assignment.Row) -> assignment.Place:
        return assignment.Place.of_address(*(row[field] for field in fields))

    return fields, place_of


def person_to_go_by(prefix: str = "person__") -> Q:
    """Records whose person has an address or a ZIP code to be placed by: others wait."""
    return Q(**{f"{prefix}address__gt": ""}) | Q(**{f"{prefix}zip_code__gt": ""})


def register() -> None:
    assignment.register(PEOPLE)
