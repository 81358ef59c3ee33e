"""The universe from supporters: located in the worker through the real geocoder path
(a geocoder on 127.0.0.1), only addresses the organization may see, households and
units of one building apart, do-not-knock addresses left out."""

from __future__ import annotations

from typing import Any

from django.test import Client

from groundswell.canvass import actions
from groundswell.canvass.models import Canvass, Door, Resident
from groundswell.organizations.models import Membership
from groundswell.people.models import Person, Supporter
from tests.conftest import login
from tests.districts.conftest import GeocoderServer, geocoder_server  # noqa: F401


def supporter(canvass: Canvass, address: str, *, supplied: bool = True) -> Person:
    person = Person.objects.create(first_name="Ann", address=address)
    Supporter.objects.create(
        person=person,
        organization=canvass.organization,
        first_name="Ann",
        address=address,
        city="Chicago",
        state="IL",
        supplied={"address": "manual"} if supplied else {},
    )
    return person


def test_supporters_doors_are_added_in_the_worker(
    client: Client,
    organizer: Any,
    canvass: Canvass,
    membership: Membership,
    geocoder_server: GeocoderServer,  # noqa: F811
    settings: Any,
    drain: Any,
) -> None:
    settings.GEOCODER_URL = geocoder_server.url("/geocoder")
    geocoder_server.lat, geocoder_server.lon = 41.81, -87.69  # ward 1
    first = supporter(canvass, "4100 W Madison St Apt 1")
    second = supporter(canvass, "4100 W. Madison Street, Apt 2")
    supporter(canvass, "4100 W Madison St Apt 3", supplied=False)  # no consent: not seen
    supporter(canvass, "15 S Pine Ave")
    actions.add_do_not_knock(membership, "15 S Pine Ave")
    login(client, organizer)
    response = client.post(f"/manage/action-now/canvass/{canvass.slug}/universe/")
    assert response.status_code == 302
    assert not Door.objects.exists()  # not in the request
    drain()
    doors = Door.objects.filter(canvass=canvass).order_by("unit")
    assert [(d.building, d.unit) for d in doors] == [
        ("4100 W MADISON ST", "1"),
        ("4100 W MADISON ST", "2"),
    ]
    assert {d.ward.number for d in doors if d.ward} == {1}
    assert set(Resident.objects.values_list("person", flat=True)) == {first.pk, second.pk}
