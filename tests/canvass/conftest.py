"""Canvass tests: two small square wards side by side (each cut into a north and a
south precinct), a canvass of Action Now with doors on a grid of streets, and its
organizer's membership."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest

from groundswell.canvass import actions
from groundswell.canvass.actions import DoorEntry, QuestionSpec
from groundswell.canvass.models import Canvass, Question
from groundswell.districts import actions as district_actions
from groundswell.districts import locate
from groundswell.organizations.models import Membership, Organization
from groundswell.people.models import Person, Supporter

WEST, SOUTH, SIZE = -87.70, 41.80, 0.02  # ward 1; ward 2 is the square east of it
WARD = "ocd-division/country:us/state:il/place:chicago/ward:{}"


def _square(west: float, south: float, width: float, height: float) -> list[list[list[float]]]:
    east, north = west + width, south + height
    return [[[west, south], [east, south], [east, north], [west, north], [west, south]]]


def _write(path: Path, features: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    return path


def _feature(division_id: str, name: str, rings: Any) -> dict[str, Any]:
    return {
        "type": "Feature",
        "properties": {"division_id": division_id, "name": name},
        "geometry": {"type": "Polygon", "coordinates": rings},
    }


@pytest.fixture
def two_wards(db: None, tmp_path: Path) -> None:
    wards = [
        _feature(WARD.format(n), f"Ward {n}", _square(WEST + (n - 1) * SIZE, SOUTH, SIZE, SIZE))
        for n in (1, 2)
    ]
    district_actions.import_districts(_write(tmp_path / "w.json", wards), "test-wards")
    precincts = [
        _feature(
            WARD.format(w) + f"/precinct:{p}",
            f"Precinct {w * 10 + p}",
            _square(WEST + (w - 1) * SIZE, SOUTH + (p - 1) * SIZE / 2, SIZE, SIZE / 2),
        )
        for w in (1, 2)
        for p in (1, 2)
    ]
    district_actions.import_districts(
        _write(tmp_path / "p.json", precincts), "test-precincts", kind="precinct"
    )
    locate.forget()


@pytest.fixture
def membership(organizer: Any, action_now: Organization) -> Membership:
    return Membership.objects.get(user=organizer, organization=action_now)


def grid_entries(count: int, *, seed: int = 7, apartments: int = 0) -> list[DoorEntry]:
    """`count` houses on east-west streets across both wards (house numbers rising to
    the east, odd on the north side), plus `apartments` buildings of four units."""
    rng = random.Random(seed)
    entries = []
    for i in range(count):
        street = i % 10
        number = 100 + 2 * (i // 10) + (i % 2)
        lon = WEST + 0.0005 + rng.random() * (2 * SIZE - 0.001)
        lat = SOUTH + 0.001 + street * 0.0018 + (0.0001 if number % 2 else 0.0)
        entries.append(DoorEntry(f"{number} W Street {street} St", lat, lon))
    for b in range(apartments):
        lon = WEST + 0.001 + rng.random() * (2 * SIZE - 0.002)
        lat = SOUTH + 0.001 + rng.random() * (SIZE - 0.002)
        for unit in range(1, 5):
            entries.append(DoorEntry(f"{900 + 2 * b} S Tower Ave Apt {unit}", lat, lon))
    return entries


@pytest.fixture
def canvass(two_wards: None, membership: Membership) -> Canvass:
    canvass = actions.create_canvass(membership, name="Black Roots Resistance", slug="brr")
    actions.set_script(
        membership,
        canvass,
        [
            QuestionSpec(Question.Kind.SCALE, "How do you rate the administration?"),
            QuestionSpec(
                Question.Kind.SINGLE,
                "Will you vote in the next election?",
                ["Yes", "No", "Not sure"],
            ),
            QuestionSpec(
                Question.Kind.MULTIPLE, "What matters most?", ["Jobs", "Safety", "Schools"]
            ),
            QuestionSpec(Question.Kind.TEXT, "Anything else?"),
        ],
    )
    return canvass


def resident(organization: Organization, name: str) -> Person:
    person = Person.objects.create(first_name=name, last_name="Doe")
    Supporter.objects.create(
        person=person, organization=organization, first_name=name, last_name="Doe"
    )
    return person
