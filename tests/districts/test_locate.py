"""Locating points: inside every ward, on borders, outside Chicago; which map is current;
a batch; threads sharing one index."""

from __future__ import annotations

import datetime
import threading
from typing import Any

import pytest
import shapely
from django.db import connection
from django.utils import timezone

from groundswell.districts import actions, locate
from groundswell.districts.locate import LocatedDistrict, locate_many
from groundswell.districts.locate import locate as find
from groundswell.districts.models import District, DistrictSet
from tests.districts.conftest import WARD, WARDS_FILE, grid

pytestmark = pytest.mark.django_db


def test_a_point_inside_each_ward_finds_that_ward(wards: DistrictSet) -> None:
    for ward in wards.districts.all():
        inside = shapely.point_on_surface(ward.geometry)
        found = find(inside.y, inside.x)
        assert found is not None and found.division_id == ward.division_id, ward.name
        assert (found.id, found.number, found.set_slug, found.kind) == (
            ward.pk,
            ward.number,
            "chicago-wards-2023",
            "ward",
        )


def test_well_known_places(wards: DistrictSet) -> None:
    city_hall = find(41.88357, -87.63205)  # 121 N LaSalle St
    assert city_hall is not None and city_hall.number == 42
    ohare = find(41.97860, -87.90480)
    assert ohare is not None and ohare.number == 41


@pytest.mark.parametrize(
    ("place", "lat", "lon"),
    [
        ("Evanston", 42.0451, -87.6877),
        ("Oak Park", 41.8850, -87.7845),
        ("Lake Michigan", 41.9000, -87.5000),
        ("Norridge, surrounded by Chicago", 41.9636, -87.8245),
        ("Springfield", 39.7817, -89.6501),
        ("the other side of the world", -41.88, 87.63),
    ],
)
def test_outside_chicago_is_no_ward(wards: DistrictSet, place: str, lat: float, lon: float) -> None:
    assert find(lat, lon) is None, place


def test_a_border_goes_to_the_lower_number(write: Any, db: None) -> None:
    actions.import_districts(write(grid()), "grid")
    # The grid's wards meet at (41.81, -87.69): 1 2 on top, 3 4 below.
    assert find(41.81, -87.695).number == 1  # type: ignore[union-attr]  # edge of 1 and 3
    assert find(41.805, -87.69).number == 3  # type: ignore[union-attr]  # edge of 3 and 4
    assert find(41.815, -87.69).number == 1  # type: ignore[union-attr]  # edge of 1 and 2
    assert find(41.81, -87.685).number == 2  # type: ignore[union-attr]  # edge of 2 and 4
    assert find(41.81, -87.69).number == 1  # type: ignore[union-attr]  # the corner of all four
    assert find(41.80, -87.68).number == 4  # type: ignore[union-attr]  # the outer corner of 4
    assert find(41.80, -87.6799) is None  # just outside


def test_a_point_two_wards_hold_goes_to_the_lower_number_every_time(wards: DistrictSet) -> None:
    """The simplified shapes of neighbours overlap in slivers and share vertices: there
    the lower-numbered ward wins, whatever the order of the shapes."""
    shapes = {w.number or 0: w.geometry for w in wards.districts.all()}
    shared = []
    for shape in shapes.values():
        for x, y in shapely.get_coordinates(shape)[::7]:
            holders = [n for n, other in shapes.items() if shapely.intersects_xy(other, x, y)]
            if len(holders) > 1:
                shared.append((y, x, min(holders)))
    assert len(shared) > 50
    for lat, lon, lowest in shared:
        assert find(lat, lon).number == lowest  # type: ignore[union-attr]
    assert [
        d.number if d else None for d in locate_many([(lat, lon) for lat, lon, _ in shared])
    ] == [lowest for _, _, lowest in shared]


def test_a_batch_agrees_with_one_at_a_time(wards: DistrictSet) -> None:
    points = [(41.64 + i * 0.0037, -87.94 + (i * 0.0241) % 0.42) for i in range(100)]
    assert locate_many(points) == [find(lat, lon) for lat, lon in points]
    assert locate_many([]) == []


def test_no_map_loaded_means_no_district(db: None) -> None:
    assert find(41.88, -87.63) is None
    assert locate_many([(41.88, -87.63)]) == [None]


def test_a_named_map_and_a_kind(wards: DistrictSet, write: Any) -> None:
    actions.import_districts(write(grid()), "grid", kind="precinct")
    assert find(41.805, -87.695, kind="precinct").number == 3  # type: ignore[union-attr]
    assert find(41.805, -87.695, set_slug="grid").set_slug == "grid"  # type: ignore[union-attr]
    assert find(41.805, -87.695).set_slug == "chicago-wards-2023"  # type: ignore[union-attr]
    assert find(41.805, -87.695, set_slug="no-such-map") is None


def test_a_new_map_takes_over_on_its_first_day(wards: DistrictSet, write: Any) -> None:
    today = timezone.localdate()
    actions.import_districts(
        write(grid()), "wards-next", valid_from=today + datetime.timedelta(days=1)
    )
    assert find(41.805, -87.695).set_slug == "chicago-wards-2023"  # type: ignore[union-attr]
    tomorrow = find(41.805, -87.695, on=today + datetime.timedelta(days=1))
    assert tomorrow is not None and tomorrow.set_slug == "wards-next"
    before = find(41.805, -87.695, on=datetime.date(2020, 1, 1))
    assert before is None  # no map was in force then


def test_an_import_is_seen_by_the_next_lookup(wards: DistrictSet, write: Any) -> None:
    assert find(41.805, -87.695).set_slug == "chicago-wards-2023"  # type: ignore[union-attr]
    actions.import_districts(write(grid()), "chicago-wards-2023")  # a new version
    found = find(41.805, -87.695)
    assert found is not None and (found.set_slug, found.set_version, found.number) == (
        "chicago-wards-2023",
        2,
        3,
    )


def test_another_process_sees_an_import_within_current_seconds(
    wards: DistrictSet, write: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert find(41.805, -87.695).set_version == 1  # type: ignore[union-attr]
    # Another process imports: the rows change, this process is not told.
    monkeypatch.setattr(locate, "forget", lambda: None)
    actions.import_districts(write(grid()), "chicago-wards-2023")
    assert find(41.805, -87.695).set_version == 1  # type: ignore[union-attr]
    monkeypatch.setattr(locate, "CURRENT_SECONDS", 0.0)
    assert find(41.805, -87.695).set_version == 2  # type: ignore[union-attr]


@pytest.mark.django_db(transaction=True)
def test_the_index_is_built_once_and_shared_by_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Eight threads ask for a new map's index at once: one builds it, all share it and
    agree on every point (GEOS's lazily built parts are built before it is shared)."""
    wards = actions.import_districts(WARDS_FILE, "chicago-wards-2023").district_set
    locate.forget_indexes()
    shapes = list(District.objects.filter(set=wards).order_by("number"))
    points = [shapely.point_on_surface(w.geometry) for w in shapes]
    expected = [w.number for w in shapes]
    version = locate.map_version()
    assert version is not None
    builds = []
    build = locate.MapIndex.__init__

    def counted(self: locate.MapIndex, version: locate.MapVersion) -> None:
        builds.append(version)
        build(self, version)

    monkeypatch.setattr(locate.MapIndex, "__init__", counted)
    results: list[list[int | None]] = []
    failures: list[BaseException] = []
    start = threading.Barrier(8)

    def run() -> None:
        try:
            start.wait()
            for _ in range(20):
                index = locate.index(version)
                results.append([_number(index.find(p.y, p.x)) for p in points])
        except BaseException as exc:  # pragma: no cover - reported below
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    assert len(results) == 160 and all(result == expected for result in results)
    assert len(builds) == 1


def _number(found: LocatedDistrict | None) -> int | None:
    return found.number if found else None


def test_the_database_boxes_narrow_the_candidates(wards: DistrictSet) -> None:
    candidates = District.objects.filter(set=wards).around(41.88357, -87.63205)
    assert 1 <= candidates.count() < 10
    assert [d.number for d in candidates if d.covers(41.88357, -87.63205)] == [42]


def test_a_ward_label_is_made_from_its_number(wards: DistrictSet) -> None:
    from django.utils import translation

    ward = wards.districts.get(number=25)
    with translation.override("en"):
        assert ward.label() == "Ward 25"
    assert ward.division_id == WARD.format(25)
