"""The demo canvass loads on the shipped ward map, once."""

from __future__ import annotations

from typing import Any

from groundswell.canvass import demo
from groundswell.canvass.models import Canvass, Turf, Visit
from tests.districts.conftest import wards  # noqa: F401


def test_the_demo_canvass_loads_once(wards: Any, organizer: Any) -> None:  # noqa: F811
    added = demo.load()
    canvass = Canvass.objects.get(slug=demo.SLUG)
    assert added > 50 and Visit.objects.filter(canvass=canvass).count() == added
    numbers = set(Turf.objects.filter(canvass=canvass).values_list("ward__number", flat=True))
    assert numbers == set(demo.WEST_SIDE + demo.SOUTH_SIDE)
    assert demo.load() == 0
