"""One routine places every located record (districts.assignment): RSVPs and volunteers
from their person's address, the same way as signatures; a record without anything to
go by waits, and a ZIP point is never a ward. (Signatures: tests/petitions/test_wards.py.)"""

from __future__ import annotations

from typing import Any

import pytest

from groundswell.core import clock
from groundswell.districts import assignment
from groundswell.districts.models import DistrictSet
from groundswell.events import actions as event_actions
from groundswell.events.models import RSVP
from groundswell.events.wards import RSVPS
from groundswell.organizations.models import Organization
from groundswell.people import actions as people_actions
from groundswell.volunteers.wards import VOLUNTEERS
from tests.districts.conftest import WARD, GeocoderServer
from tests.events.conftest import make_event, rsvp_as
from tests.volunteers.conftest import volunteer

pytestmark = pytest.mark.django_db


def worker_round() -> None:
    clock.run_due(force=True, close_connections=False)


def test_an_address_line_joins_street_city_and_state() -> None:
    place = assignment.Place.of_address("1234 W 18th St ", "Chicago", "IL", " 60608")
    assert place == assignment.Place(address="1234 W 18th St, Chicago, IL", zip_code="60608")
    assert assignment.Place.of_address("", "Chicago", "IL", "60608").address == ""
    assert assignment.Place.of_address(None, None, None, None) == assignment.Place()


def test_an_rsvp_gets_its_persons_ward_once_they_have_an_address(
    action_now: Organization, wards: DistrictSet, geocoder_server: GeocoderServer
) -> None:
    event = make_event(action_now)
    rsvp = rsvp_as(event, "ana@example.org").rsvp
    assert rsvp is not None
    worker_round()
    assert RSVP.objects.get(pk=rsvp.pk).located_at is None  # its person has no address yet

    event_actions.confirm_email(rsvp)
    people_actions.record_person(
        email="ana@example.org", address="1234 W 18th St", city="Chicago", zip_code="60608"
    )
    worker_round()

    rsvp.refresh_from_db()
    assert rsvp.district_precision == "interpolated"
    assert rsvp.district is not None and rsvp.district.division_id.startswith(WARD.format(""))
    assert geocoder_server.asked[-1].query["address"].startswith("1234 W 18th St, Chicago")


def test_a_volunteer_with_a_zip_code_only_is_low_precision_and_keeps_the_ward_they_typed(
    action_now: Organization, wards: DistrictSet, settings: Any
) -> None:
    settings.GEOCODER_URL = ""
    someone = volunteer(action_now, ward="25")
    people_actions.record_person(email="ana.reyes@example.org", zip_code="60608")

    assert assignment.assign(VOLUNTEERS) == 1

    someone.refresh_from_db()
    assert (someone.district_id, someone.district_precision) == (None, "zip")
    assert someone.ward == 25, "the ward they told us stays what they said"
    assert assignment.assign(VOLUNTEERS) == 0, "placed once"


def test_every_registered_model_is_placed_by_the_clock(
    action_now: Organization, wards: DistrictSet
) -> None:
    names = [locatable.name for locatable in assignment.locatables()]
    assert {
        "petitions.signatures",
        "people.people",
        "events.rsvps",
        "volunteers.volunteers",
    } <= set(names)
    assert RSVPS.model is RSVP


def test_a_person_is_placed_and_placed_again_when_their_address_is_filled_in(
    wards: DistrictSet, geocoder_server: GeocoderServer
) -> None:
    from groundswell.people.models import Person
    from groundswell.people.wards import PEOPLE

    person = people_actions.record_person(email="p@example.org", zip_code="60608")
    assert Person.objects.get(pk=person.pk).located_at is None, "never in the request"
    assignment.assign(PEOPLE)
    person.refresh_from_db()
    assert (person.district_id, person.district_precision) == (None, "zip")

    people_actions.record_person(email="p@example.org", address="1234 W 18th St")
    person.refresh_from_db()
    assert person.located_at is None and person.district_precision == ""
    assignment.assign(PEOPLE)
    person.refresh_from_db()
    assert person.district_precision == "interpolated" and person.district is not None


def test_an_erased_volunteer_loses_the_ward_found_with_the_one_they_typed(
    action_now: Organization, wards: DistrictSet, settings: Any
) -> None:
    from groundswell.people import registry

    settings.GEOCODER_URL = ""
    someone = volunteer(action_now, ward="25")
    person = people_actions.record_person(email="ana.reyes@example.org", zip_code="60608")
    assignment.assign(VOLUNTEERS)

    for provider in registry.providers():
        provider.erase(person)

    someone.refresh_from_db()
    assert (someone.ward, someone.district_id, someone.district_precision) == (None, None, "")
    assert assignment.assign(VOLUNTEERS) == 0, "nothing to place it by again"
