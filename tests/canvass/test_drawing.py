"""Turfs drawn by hand: the free doors inside the shape, each building whole, never
across a ward boundary; or, without the map, the doors' codes."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from groundswell.canvass import actions
from groundswell.canvass.actions import CanvassError, DoorEntry
from groundswell.canvass.models import Canvass, Door, Turf
from groundswell.organizations.models import Membership
from tests.canvass.conftest import SIZE, SOUTH, WEST, grid_entries
from tests.conftest import login

# The west half of ward 1 (ward 1 spans WEST .. WEST + SIZE).
WEST_HALF = [
    (WEST + 0.0001, SOUTH + 0.0001),
    (WEST + SIZE / 2, SOUTH + 0.0001),
    (WEST + SIZE / 2, SOUTH + SIZE - 0.0001),
    (WEST + 0.0001, SOUTH + SIZE - 0.0001),
]


def test_a_drawn_turf_takes_the_free_doors_inside_each_building_whole(
    canvass: Canvass, membership: Membership
) -> None:
    actions.add_doors(canvass, grid_entries(80))
    inside_lat = SOUTH + SIZE / 2
    # One building whose second unit was located just outside the shape: it comes along.
    actions.add_doors(
        canvass,
        [
            DoorEntry("900 S Tower Ave Apt 1", inside_lat, WEST + SIZE / 2 - 0.0002),
            DoorEntry("900 S Tower Ave Apt 2", inside_lat, WEST + SIZE / 2 + 0.0002),
        ],
    )
    turf = actions.draw_turf(membership, canvass, WEST_HALF)
    doors = list(turf.doors.all())
    assert doors and {d.ward.number for d in doors if d.ward} == {1}
    assert {d.unit for d in doors if d.building == "900 S TOWER AVE"} == {"1", "2"}
    expected = {
        d.pk
        for d in Door.objects.filter(canvass=canvass)
        if WEST < d.lon < WEST + SIZE / 2 or d.building == "900 S TOWER AVE"
    }
    assert {d.pk for d in doors} == expected
    assert sorted(d.walk_order for d in doors) == list(range(len(doors)))
    # The same shape again: its doors are on a turf already.
    with pytest.raises(CanvassError):
        actions.draw_turf(membership, canvass, WEST_HALF)
    assert Turf.objects.filter(canvass=canvass).count() == 1


def test_a_shape_across_a_ward_boundary_or_crossing_itself_is_refused(
    canvass: Canvass, membership: Membership
) -> None:
    actions.add_doors(canvass, grid_entries(40))
    across = [
        (WEST + 0.005, SOUTH + 0.005),
        (WEST + 0.03, SOUTH + 0.005),
        (WEST + 0.03, SOUTH + 0.015),
    ]
    with pytest.raises(CanvassError, match="ward boundary"):
        actions.draw_turf(membership, canvass, across)
    bowtie = [
        (WEST, SOUTH),
        (WEST + 0.01, SOUTH + 0.01),
        (WEST + 0.01, SOUTH),
        (WEST, SOUTH + 0.01),
    ]
    with pytest.raises(CanvassError, match="crosses itself"):
        actions.draw_turf(membership, canvass, bowtie)
    assert not Turf.objects.exists() and not Door.objects.filter(turf__isnull=False).exists()


def test_the_page_takes_a_drawn_shape_or_door_codes(
    client: Client, organizer: Any, canvass: Canvass
) -> None:
    actions.add_doors(canvass, grid_entries(40))
    login(client, organizer)
    url = f"/manage/action-now/canvass/{canvass.slug}/draw/"
    polygon = " ".join(f"{lon},{lat}" for lon, lat in WEST_HALF)
    assert client.post(url, {"polygon": polygon}).status_code == 302
    assert Turf.objects.count() == 1
    east = list(Door.objects.filter(turf__isnull=True, lon__gt=WEST + SIZE)[:3])
    codes = " ".join(d.code.lower() for d in east)
    assert client.post(url, {"door_codes": codes}).status_code == 302
    assert {d.pk for d in Turf.objects.get(number=2).doors.all()} >= {d.pk for d in east}
    # Bad input: a clear message, nothing changed.
    assert client.post(url, {"door_codes": "ZZZZZ"}).status_code == 400
    assert client.post(url, {"polygon": "1,nan 2,3 x"}).status_code == 400
    page = client.post(url, {"door_codes": east[0].code})
    assert page.status_code == 400 and "on a turf already" in page.content.decode()
    assert Turf.objects.count() == 2
    # The map carries its projection as plain numbers, for draw.js.
    page = client.get(f"/manage/action-now/canvass/{canvass.slug}/").content.decode()
    west = re.search(r'data-west="([^"]*)"', page)
    assert west is not None and float(west.group(1)) < WEST + 0.001
