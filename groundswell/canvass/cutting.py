"""Cutting a universe into turfs of about equal door counts, on plain values (no
database), so the benchmark and the tests can call it on any number of doors.

The rules, in order of precedence:

1. a turf never crosses a ward boundary: each ward is cut on its own;
2. a building is never split: its units go to one turf;
3. door counts are about equal: the turfs are shared among the wards by the highest
   average (D'Hondt, which keeps the largest turf as small as it can be), then each
   ward's buildings are put in the order of a Hilbert curve through their points (near
   buildings stay near in the order) and the order is cut into consecutive runs, each
   cut at the building boundary nearest to an equal share.

Within a ward every turf is within ±10% of the ward's average as long as no single
building holds more than about a tenth of a turf's doors (an apartment tower bigger
than that is a turf of its own, or makes its turf larger). Between wards, the turf
sizes differ only as much as whole numbers of turfs per ward force them to.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

HILBERT_ORDER = 16


class CuttingError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Spot:
    """A door as cutting sees it."""

    id: int
    building: str
    lat: float
    lon: float
    ward: int | None


@dataclass
class _Building:
    key: str
    ward: int | None
    doors: list[int]
    lat: float
    lon: float


def hilbert(x: int, y: int, order: int = HILBERT_ORDER) -> int:
    """The position of cell (x, y) along a Hilbert curve filling a 2^order square."""
    n = 1 << order
    d = 0
    s = n >> 1
    while s > 0:
        rx = 1 if x & s else 0
        ry = 1 if y & s else 0
        d += s * s * ((3 * rx) ^ ry)
        if ry == 0:
            if rx == 1:
                x = n - 1 - x
                y = n - 1 - y
            x, y = y, x
        s >>= 1
    return d


def _buildings(spots: Sequence[Spot]) -> list[_Building]:
    found: dict[str, _Building] = {}
    for spot in spots:
        building = found.get(spot.building)
        if building is None:
            building = found[spot.building] = _Building(
                spot.building, spot.ward, [], spot.lat, spot.lon
            )
        building.doors.append(spot.id)
    return list(found.values())


def share(sizes: dict[int | None, int], turfs: int) -> dict[int | None, int]:
    """How many turfs each ward gets: one each, then the rest by the highest average
    (never more turfs than a ward has `sizes` units to share)."""
    wards = [ward for ward, size in sizes.items() if size > 0]
    if turfs < len(wards):
        raise CuttingError(len(wards))
    given = dict.fromkeys(wards, 1)
    for _ in range(turfs - len(wards)):
        candidates = [w for w in wards if given[w] < sizes[w]]
        if not candidates:
            break
        ward = max(candidates, key=lambda w: sizes[w] / given[w])
        given[ward] += 1
    return given


def _order(buildings: list[_Building]) -> list[_Building]:
    lats = [b.lat for b in buildings]
    lons = [b.lon for b in buildings]
    min_lat, min_lon = min(lats), min(lons)
    span = max(max(lats) - min_lat, max(lons) - min_lon) or 1.0
    scale = ((1 << HILBERT_ORDER) - 1) / span
    return sorted(
        buildings,
        key=lambda b: hilbert(int((b.lon - min_lon) * scale), int((b.lat - min_lat) * scale)),
    )


def _runs(buildings: list[_Building], count: int) -> list[list[_Building]]:
    """Consecutive runs of the buildings, `count` of them, cut where the running door
    count is nearest each equal share."""
    total = sum(len(b.doors) for b in buildings)
    runs: list[list[_Building]] = [[]]
    done = 0
    for index, building in enumerate(buildings):
        left = len(buildings) - index  # buildings not placed yet, this one included
        runs_to_open = count - len(runs)
        target = total * len(runs) / count
        size = len(building.doors)
        must_cut = runs[-1] and left <= runs_to_open
        cut_here = runs[-1] and runs_to_open > 0 and abs(done - target) <= abs(done + size - target)
        if must_cut or cut_here:
            runs.append([])
        runs[-1].append(building)
        done += size
    return runs


def cut(spots: Sequence[Spot], turfs: int) -> list[list[int]]:
    """The door ids of each turf (each list one ward's), about `turfs` of them: fewer
    only when the universe has fewer buildings. CuttingError when there are fewer
    turfs than wards with doors."""
    if turfs < 1:
        raise CuttingError(0)
    by_ward: dict[int | None, list[_Building]] = defaultdict(list)
    for building in _buildings(spots):
        by_ward[building.ward].append(building)
    doors = {ward: sum(len(b.doors) for b in bs) for ward, bs in by_ward.items()}
    given = share(doors, turfs)
    # Never more turfs in a ward than it has buildings.
    for ward in given:
        given[ward] = min(given[ward], len(by_ward[ward]))
    result: list[list[int]] = []
    for ward in sorted(by_ward, key=lambda w: (w is None, w or 0)):
        for run in _runs(_order(by_ward[ward]), given[ward]):
            if run:
                result.append([door for building in run for door in building.doors])
    return result


def distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Metres between two (lat, lon) points a block or a few apart (equirectangular)."""
    x = math.radians(b[1] - a[1]) * math.cos(math.radians((a[0] + b[0]) / 2))
    y = math.radians(b[0] - a[0])
    return 6_371_000 * math.hypot(x, y)
