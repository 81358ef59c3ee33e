"""The order a canvasser walks a turf's doors, on plain values.

By street (the default): street by street; on each, up the odd side by house number
and back down the even side, so nobody crosses the street at every door; the units of
a building together, in their order.

By route: buildings in the order of a short path (nearest neighbour, then improved by
2-opt: two legs that cross are uncrossed while that shortens the walk), the units of a
building together. `benchmarks/canvass.py` prints how much shorter than the
nearest-neighbour order it is.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

from groundswell.canvass.cutting import distance

MAX_2OPT_ROUNDS = 8


@dataclass(frozen=True, slots=True)
class Stop:
    id: int
    building: str
    street: str
    house_number: int | None
    unit: str
    lat: float
    lon: float


def _unit_key(unit: str) -> tuple[int, int, str]:
    return (0, int(unit), "") if unit.isdigit() else (1, 0, unit)


def by_street(stops: Sequence[Stop]) -> list[int]:
    """Door ids in walking order by street, side and house number."""

    def key(stop: Stop) -> tuple[str, int, int, tuple[int, int, str]]:
        number = stop.house_number if stop.house_number is not None else 0
        odd = number % 2 == 1
        # Odd side going up, then the even side coming back down.
        return (stop.street, 0 if odd else 1, number if odd else -number, _unit_key(stop.unit))

    return [stop.id for stop in sorted(stops, key=key)]


def _points(
    stops: Sequence[Stop],
) -> tuple[list[str], dict[str, list[Stop]], list[tuple[float, float]]]:
    buildings: dict[str, list[Stop]] = {}
    for stop in stops:
        buildings.setdefault(stop.building, []).append(stop)
    keys = list(buildings)
    points = [(buildings[k][0].lat, buildings[k][0].lon) for k in keys]
    return keys, buildings, points


def length(points: Sequence[tuple[float, float]]) -> float:
    """Metres walked visiting the (lat, lon) points in their order."""
    return sum(distance(a, b) for a, b in itertools.pairwise(points))


def flat(points: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    """The (lat, lon) points as metres east and north of the first (flat at a turf's
    scale), so that a distance is one math.dist."""
    if not points:
        return []
    lat0, lon0 = points[0]
    east = math.radians(1) * 6_371_000 * math.cos(math.radians(lat0))
    north = math.radians(1) * 6_371_000
    return [((lon - lon0) * east, (lat - lat0) * north) for lat, lon in points]


def nearest_neighbour(points: Sequence[tuple[float, float]], start: int = 0) -> list[int]:
    """Indexes of the (flat) points in nearest-neighbour order from `start`."""
    if not points:
        return []
    left = set(range(len(points)))
    order = [start]
    left.discard(start)
    while left:
        here = points[order[-1]]
        nearest = min(left, key=lambda i: math.dist(here, points[i]))
        order.append(nearest)
        left.discard(nearest)
    return order


def two_opt(points: Sequence[tuple[float, float]], order: list[int]) -> list[int]:
    """The path through the (flat) points improved by reversing stretches while that
    shortens it (an open path: the walk does not return to its start)."""
    order = list(order)
    n = len(order)
    for _ in range(MAX_2OPT_ROUNDS):
        improved = False
        for i in range(n - 2):
            a, b = points[order[i]], points[order[i + 1]]
            ab = math.dist(a, b)
            for j in range(i + 2, n):
                c = points[order[j]]
                d = points[order[j + 1]] if j + 1 < n else None
                before = ab + (math.dist(c, d) if d else 0.0)
                after = math.dist(a, c) + (math.dist(b, d) if d else 0.0)
                if after < before - 1e-9:
                    order[i + 1 : j + 1] = reversed(order[i + 1 : j + 1])
                    improved = True
                    b = points[order[i + 1]]
                    ab = math.dist(a, b)
        if not improved:
            break
    return order


@dataclass(frozen=True)
class Route:
    ids: list[int]
    metres: float
    nearest_neighbour_metres: float


def by_route(stops: Sequence[Stop]) -> Route:
    """Door ids in the order of a short walk, with its length and the length of the
    nearest-neighbour order it was improved from."""
    keys, buildings, points = _points(stops)
    if not keys:
        return Route([], 0.0, 0.0)
    # Start at the building furthest from the middle: a path, not a loop.
    mid = (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
    start = max(range(len(points)), key=lambda i: distance(mid, points[i]))
    xy = flat(points)
    greedy = nearest_neighbour(xy, start)
    better = two_opt(xy, greedy)
    ids = [
        stop.id
        for i in better
        for stop in sorted(buildings[keys[i]], key=lambda s: _unit_key(s.unit))
    ]
    return Route(
        ids,
        length([points[i] for i in better]),
        length([points[i] for i in greedy]),
    )
