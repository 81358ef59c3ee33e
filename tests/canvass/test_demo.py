"""The demo canvass loads on the shipped ward map, once."""

from __future__ import annotations

from typing import Any

from groundswell.canvass import dashboard, demo
from groundswell.canvass.models import Canvass, Turf, Visit
from tests.districts.conftest import wards  # noqa: F401


def test_the_demo_canvass_loads_once(wards: Any, organizer: Any) -> None:  # noqa: F811
    added = demo.load()
    canvass = Canvass.objects.get(slug=demo.SLUG)
    assert added > 50 and Visit.objects.filter(canvass=canvass).count() == added
    numbers = set(Turf.objects.filter(canvass=canvass).values_list("ward__number", flat=True))
    assert numbers == set(demo.WEST_SIDE + demo.SOUTH_SIDE)
    assert demo.load() == 0
    figures = dashboard.figures(canvass)
    vote = next(r for r in figures.questions if r.question.text.startswith("Will you vote"))
    assert sum(n for _choice, n in vote.counts) == figures.contacted
    assert set(vote.by_area) <= {f"Ward {n}" for n in demo.WEST_SIDE + demo.SOUTH_SIDE}
