"""The demo's canvass: Action Now's #BlackRootsResistance door knocking on the West and
South Sides (seed 003), with a script on the seed's questions (views of the
administration, comparisons between Trump, Governor Rauner and Mayor Emanuel, the
upcoming elections), turfs in six wards, four canvassers and a shift of results sent
through the phones' own upload path.

`load()` is what the demo loader calls once the ward map and Action Now's staff exist;
running it again adds nothing. The addresses are made up (numbers on Chicago's address
grid at random points inside each ward); nobody lives there.
"""

from __future__ import annotations

import datetime
import json
import random
import uuid

import shapely
from django.utils import timezone

from groundswell.canvass import actions, sync
from groundswell.canvass.actions import DoorEntry, QuestionSpec
from groundswell.canvass.models import Canvass, Canvasser, Question, Result
from groundswell.districts.models import District, DistrictSet, Kind
from groundswell.organizations.models import Membership, Role

SLUG = "black-roots-resistance"
OWNER = "action-now"
WEST_SIDE = (24, 28, 37)
SOUTH_SIDE = (6, 8, 20)
DOORS_PER_WARD = 48
SEED = "groundswell-demo-canvass"
CANVASSERS = ("Keisha", "Marcus", "Tanya", "Darnell")

STATE_ST_LON = -87.6278  # Chicago's grid: 0 E/W at State Street, 0 N/S at Madison Street
MADISON_LAT = 41.8819
NUMBERS_PER_MILE = 800
WEST_SIDE_STREETS = (
    "Chicago Ave", "Huron St", "Ohio St", "Grand Ave", "Kinzie St", "Lake St",
    "Washington Blvd", "Madison St", "Monroe St", "Adams St", "Jackson Blvd",
    "Van Buren St", "Harrison St", "Polk St", "Roosevelt Rd", "16th St", "Cermak Rd",
)  # fmt: skip

SCRIPT = [
    QuestionSpec(
        Question.Kind.SCALE,
        "How much do the Trump administration's policies hurt your community? "
        "(1 not at all, 5 a lot)",
    ),
    QuestionSpec(
        Question.Kind.SINGLE,
        "Who has done the most harm to Black communities here?",
        ["President Trump", "Governor Rauner", "Mayor Emanuel", "All the same", "Not sure"],
    ),
    QuestionSpec(
        Question.Kind.SINGLE,
        "Will you vote in the upcoming elections?",
        ["Yes", "Maybe", "No"],
    ),
    QuestionSpec(
        Question.Kind.MULTIPLE,
        "What should a Black policy agenda put first?",
        ["Jobs", "Criminal justice reform", "Health care", "Schools", "Expungements"],
    ),
    QuestionSpec(
        Question.Kind.SINGLE,
        "Would you become a precinct captain?",
        ["Yes", "Tell me more", "No"],
    ),
    QuestionSpec(
        Question.Kind.TEXT, "What is it like to be Black in the current political environment?"
    ),
]


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _address(lat: float, lon: float, rng: random.Random) -> str:
    """A plausible address on Chicago's grid: the number from the distance west of State
    Street, on an east-west street chosen by the distance south of Madison Street."""
    miles_west = (STATE_ST_LON - lon) * 51.6
    miles_south = (MADISON_LAT - lat) * 69.0
    number = int(miles_west * NUMBERS_PER_MILE) // 2 * 2 + rng.choice((0, 1))
    if miles_south > 1.6:
        street = f"{_ordinal(max(int(miles_south * 8), 17))} St"
    else:
        index = int((miles_south + 1.0) / 2.6 * len(WEST_SIDE_STREETS))
        street = WEST_SIDE_STREETS[min(max(index, 0), len(WEST_SIDE_STREETS) - 1)]
    return f"{max(number, 1)} W {street}"


def _points(ward: District, count: int, rng: random.Random) -> list[tuple[float, float]]:
    shape = ward.geometry
    west, south, east, north = shape.bounds
    found: list[tuple[float, float]] = []
    while len(found) < count:
        lon, lat = rng.uniform(west, east), rng.uniform(south, north)
        if shapely.intersects_xy(shape, lon, lat):
            found.append((lat, lon))
    return found


def _entries(wards: list[District], rng: random.Random) -> list[DoorEntry]:
    entries: list[DoorEntry] = []
    for ward in wards:
        for i, (lat, lon) in enumerate(_points(ward, DOORS_PER_WARD, rng)):
            address = _address(lat, lon, rng)
            if i % 8 == 0:  # a two-flat or a three-flat: units of one building
                entries.extend(
                    DoorEntry(f"{address} Apt {unit}", lat, lon) for unit in range(1, 3 + i % 2)
                )
            else:
                entries.append(DoorEntry(address, lat, lon))
    return entries


def _answers(questions: list[Question], rng: random.Random) -> dict[str, object]:
    answers: dict[str, object] = {}
    for q in questions:
        if q.kind == Question.Kind.SCALE:
            answers[str(q.pk)] = rng.choice((3, 4, 4, 5, 5, 5))
        elif q.kind == Question.Kind.SINGLE:
            answers[str(q.pk)] = rng.choice(q.choices)
        elif q.kind == Question.Kind.MULTIPLE:
            answers[str(q.pk)] = rng.sample(q.choices, rng.randint(1, 2))
    return answers


def load() -> int:
    """Create the canvass with its turfs, canvassers and a shift of visits; returns the
    number of visits added (0 when it exists, or without a ward map or Action Now)."""
    if Canvass.objects.filter(organization__slug=OWNER, slug=SLUG).exists():
        return 0
    membership = (
        Membership.objects.select_related("organization", "user")
        .filter(organization__slug=OWNER, role__in=[Role.OWNER, Role.ADMIN, Role.ORGANIZER])
        .order_by("pk")
        .first()
    )
    ward_map = DistrictSet.objects.current().get(Kind.WARD)
    if membership is None or ward_map is None:
        return 0
    wards = list(
        District.objects.filter(set=ward_map, number__in=WEST_SIDE + SOUTH_SIDE).select_related(
            "set"
        )
    )
    rng = random.Random(SEED)
    canvass = actions.create_canvass(membership, name="#BlackRootsResistance", slug=SLUG)
    actions.set_script(membership, canvass, SCRIPT)
    actions.add_doors(canvass, _entries(wards, rng))
    turfs = actions.cut_turfs(membership, canvass, 2 * len(wards))
    questions = list(Question.objects.filter(canvass=canvass))
    added = 0
    shift_start = timezone.now() - datetime.timedelta(hours=3)
    for name, turf in zip(CANVASSERS, turfs, strict=False):
        canvasser, _code = actions.issue_code(membership, canvass, name=name, turf=turf)
        added += _walk(canvasser, questions, shift_start, rng)
    return added


def _walk(
    canvasser: Canvasser, questions: list[Question], start: datetime.datetime, rng: random.Random
) -> int:
    """Two thirds of the turf knocked, a door every few minutes, uploaded as a phone does."""
    assert canvasser.turf is not None
    doors = list(canvasser.turf.doors.order_by("walk_order"))
    at = start
    visits = []
    for door in doors[: len(doors) * 2 // 3]:
        at += datetime.timedelta(seconds=rng.randint(90, 400))
        result = rng.choices(
            [Result.CONTACTED, Result.NOT_HOME, Result.REFUSED, Result.COME_BACK, Result.MOVED],
            weights=[40, 35, 10, 10, 5],
        )[0]
        visits.append(
            {
                "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "door": door.pk,
                "result": result,
                "at": at.isoformat(),
                "answers": _answers(questions, rng) if result == Result.CONTACTED else {},
            }
        )
    return sync.record(canvasser, json.dumps({"visits": visits}).encode()).new
