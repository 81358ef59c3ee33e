"""Turf cutting and walk order: balance, whole buildings, ward boundaries."""

from __future__ import annotations

import pytest
import shapely

from groundswell.canvass import actions, cutting, walk
from groundswell.canvass.actions import CanvassError
from groundswell.canvass.models import Canvass, Door, Turf
from groundswell.organizations.models import Membership
from tests.canvass.conftest import grid_entries


@pytest.fixture
def universe(canvass: Canvass) -> Canvass:
    added = actions.add_doors(canvass, grid_entries(600, apartments=6))
    assert added.doors == 624
    return canvass


def test_turfs_are_within_ten_percent_of_each_other_in_a_ward(
    universe: Canvass, membership: Membership
) -> None:
    turfs = actions.cut_turfs(membership, universe, 8)
    assert len(turfs) == 8
    sizes: dict[int | None, list[int]] = {}
    for turf in turfs:
        sizes.setdefault(turf.ward_id, []).append(turf.doors.count())
    assert len(sizes) == 2
    for counts in sizes.values():
        mean = sum(counts) / len(counts)
        assert all(abs(c - mean) <= 0.1 * mean for c in counts), counts
    assert sum(sum(c) for c in sizes.values()) == 624


def test_a_building_is_never_split(universe: Canvass, membership: Membership) -> None:
    actions.cut_turfs(membership, universe, 8)
    turfs_of: dict[str, set[int | None]] = {}
    for building, turf in Door.objects.filter(canvass=universe).values_list("building", "turf"):
        turfs_of.setdefault(building, set()).add(turf)
    assert all(len(turfs) == 1 for turfs in turfs_of.values())
    assert Door.objects.filter(canvass=universe, building="900 S TOWER AVE").count() == 4


def test_a_turf_never_crosses_a_ward_boundary(universe: Canvass, membership: Membership) -> None:
    actions.cut_turfs(membership, universe, 8)
    for turf in Turf.objects.filter(canvass=universe).select_related("ward"):
        assert turf.ward is not None
        outline = turf.ward.geometry
        for door in turf.doors.all():
            assert door.ward_id == turf.ward_id
            assert shapely.intersects_xy(outline, door.lon, door.lat)


def test_fewer_turfs_than_wards_is_refused_and_changes_nothing(
    universe: Canvass, membership: Membership
) -> None:
    with pytest.raises(CanvassError, match="2 wards"):
        actions.cut_turfs(membership, universe, 1)
    assert not Turf.objects.filter(canvass=universe).exists()


def test_the_walk_goes_up_the_odd_side_and_back_down_the_even_side() -> None:
    stops = [
        walk.Stop(i, f"{n} W ELM ST", "W ELM ST", n, "", 41.8, -87.7 + n * 1e-5)
        for i, n in enumerate([104, 101, 103, 102, 105, 100])
    ] + [walk.Stop(9, "99 W ASH ST", "W ASH ST", 99, "", 41.81, -87.7)]
    numbers = {s.id: s.house_number for s in stops}
    assert [numbers[i] for i in walk.by_street(stops)] == [99, 101, 103, 105, 104, 102, 100]


def test_the_units_of_a_building_are_walked_together_in_order() -> None:
    stops = [
        walk.Stop(i, "10 N OAK ST", "N OAK ST", 10, unit, 41.8, -87.7)
        for i, unit in enumerate(["10", "2", "1", "B"])
    ] + [walk.Stop(7, "12 N OAK ST", "N OAK ST", 12, "", 41.8, -87.7)]
    assert walk.by_street(stops) == [7, 2, 1, 0, 3]


def test_the_route_is_no_longer_than_nearest_neighbour() -> None:
    entries = grid_entries(300, seed=3)
    stops = [walk.Stop(i, e.address, "", None, "", e.lat, e.lon) for i, e in enumerate(entries)]
    route = walk.by_route(stops)
    assert sorted(route.ids) == list(range(300))
    assert route.metres <= route.nearest_neighbour_metres


def test_cutting_shares_turfs_by_the_highest_average() -> None:
    assert cutting.share({1: 300, 2: 100}, 4) == {1: 3, 2: 1}
    spots = [
        cutting.Spot(i, f"b{i}", 41.8 + (i % 17) * 1e-3, -87.7 + i * 1e-4, 1) for i in range(100)
    ]
    runs = cutting.cut(spots, 5)
    assert sorted(len(r) for r in runs) == [20] * 5
