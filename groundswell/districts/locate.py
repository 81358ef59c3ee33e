"""Which district a point is in, from an index built once per process.

What other apps call (people, petitions, events, canvassing):

    from groundswell.districts.locate import locate, locate_many

    ward = locate(41.8781, -87.6298)   # the current ward map; a LocatedDistrict or None
    ward.division_id                    # "ocd-division/country:us/state:il/place:chicago/ward:42"
    ward.id                             # the District's pk, for a foreign key
    locate(lat, lon, kind="precinct")   # the current map of another kind
    locate(lat, lon, set_slug="chicago-wards-2023")  # a named map, its latest version
    locate(lat, lon, on=datetime.date(2022, 3, 1))    # the map in force on that day
    locate_many([(lat, lon), ...])      # a batch at once (a worker assigning wards)

An address goes through groundswell.districts.geocoding.locate_address, which geocodes
it first and says how far its district can be trusted.

None means the point is outside every district of that map (or no such map is loaded).
Nothing here writes, and nothing talks to the network: it is safe in a request, in a
transaction and in a worker's batch.

**Borders.** A point on a border shared by several districts, or in one of the slivers
where neighbouring shapes of a simplified map overlap, belongs to the district with the
lowest number (then the lowest division id). The rule is arbitrary but fixed: the same
point always gets the same district, in every process and on every database.

**The index.** For each version of a map (a DistrictSet row, whose districts never change
once imported) the process builds an STRtree of the districts' shapes, prepared
(shapely.prepare) so each point test uses GEOS's indexed point-in-polygon locator, and
keeps it. Lookups from several threads share it: it is built under a lock and every
shape is queried once before it is published, because GEOS builds a prepared shape's
locator lazily on its first query and that first build is not safe to run twice at once.
Which version is current is read from the database at most every CURRENT_SECONDS, so an
import in another process is seen within that time; `forget()` (which
`actions.import_districts` calls) makes this process read it again at once.
"""

from __future__ import annotations

import datetime
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from django.utils import timezone

from groundswell.districts.models import District, DistrictSet, Kind

CURRENT_SECONDS = 10.0
MAX_INDEXES = 8  # map versions kept per process, oldest built dropped first (50 wards: <1 MB)


@dataclass(frozen=True, slots=True)
class LocatedDistrict:
    """A district a point is in (a plain value, safe to share between threads)."""

    id: int
    division_id: str
    name: str
    number: int | None
    set_slug: str
    set_version: int
    kind: str


@dataclass(frozen=True, slots=True)
class MapVersion:
    """What a lookup needs to know of a DistrictSet row."""

    id: int
    digest: str
    imported_at: datetime.datetime
    slug: str
    version: int
    kind: str

    @classmethod
    def of(cls, district_set: DistrictSet) -> MapVersion:
        return cls(
            district_set.pk,
            district_set.digest,
            district_set.imported_at,
            district_set.slug,
            district_set.version,
            district_set.kind,
        )


class MapIndex:
    """The shapes of one map version in an STRtree, in border-rule order."""

    def __init__(self, version: MapVersion) -> None:
        rows = sorted(
            District.objects.filter(set_id=version.id).values_list(
                "pk", "division_id", "name", "number", "shape"
            ),
            key=lambda row: (row[3] is None, row[3] or 0, row[1]),
        )
        self.districts = [
            LocatedDistrict(
                pk, division_id, name, number, version.slug, version.version, version.kind
            )
            for pk, division_id, name, number, _shape in rows
        ]
        self.shapes = shapely.from_wkb([bytes(row[4]) for row in rows])
        shapely.prepare(self.shapes)
        self.tree = shapely.STRtree(self.shapes)
        if len(self.shapes):
            # Build each prepared shape's point locator now, in this thread (see above).
            inside = shapely.get_coordinates(shapely.point_on_surface(self.shapes))
            shapely.intersects_xy(self.shapes, inside[:, 0], inside[:, 1])

    def find(self, lat: float, lon: float) -> LocatedDistrict | None:
        candidates = self.tree.query(shapely.Point(lon, lat))
        if not len(candidates):
            return None
        inside = candidates[shapely.intersects_xy(self.shapes[candidates], lon, lat)]
        return self.districts[int(inside.min())] if len(inside) else None

    def find_many(self, lats: np.ndarray, lons: np.ndarray) -> list[LocatedDistrict | None]:
        pairs = self.tree.query(shapely.points(lons, lats))
        points, shapes = pairs[0], pairs[1]
        inside = shapely.intersects_xy(self.shapes[shapes], lons[points], lats[points])
        nowhere = len(self.districts)
        best = np.full(len(lats), nowhere)
        np.minimum.at(best, points[inside], shapes[inside])
        return [None if i == nowhere else self.districts[i] for i in best.tolist()]


@dataclass(frozen=True)
class _Maps:
    day: datetime.date
    read_at: float
    current: dict[str, MapVersion]
    latest: dict[str, MapVersion]


_lock = threading.Lock()
_indexes: OrderedDict[MapVersion, MapIndex] = OrderedDict()
_maps: _Maps | None = None


def forget() -> None:
    """Read which maps are current from the database again at the next lookup."""
    global _maps
    _maps = None


def forget_indexes() -> None:
    """Drop every index too (tests, where a rolled-back map's id comes back)."""
    forget()
    with _lock:
        _indexes.clear()


def _read_maps() -> _Maps:
    global _maps
    maps = _maps
    # Read again every CURRENT_SECONDS, which also notices a new day (a map whose
    # valid_from is today) within that time.
    if maps is None or time.monotonic() - maps.read_at > CURRENT_SECONDS:
        today = timezone.localdate()
        maps = _Maps(
            day=today,
            read_at=time.monotonic(),
            current={
                kind: MapVersion.of(s) for kind, s in DistrictSet.objects.current(today).items()
            },
            latest={s.slug: MapVersion.of(s) for s in DistrictSet.objects.latest_versions()},
        )
        _maps = maps
    return maps


def map_version(
    *, kind: str = Kind.WARD, set_slug: str | None = None, on: datetime.date | None = None
) -> MapVersion | None:
    """The map a lookup with these arguments uses, or None when there is none."""
    if set_slug is not None:
        return _read_maps().latest.get(set_slug)
    if on is not None and on != _read_maps().day:
        district_set = DistrictSet.objects.current(on).get(kind)
        return MapVersion.of(district_set) if district_set else None
    return _read_maps().current.get(kind)


def index(version: MapVersion) -> MapIndex:
    """The index of a map version, built the first time it is asked for."""
    found = _indexes.get(version)
    if found is not None:
        return found
    with _lock:
        found = _indexes.get(version)
        if found is None:
            found = MapIndex(version)
            _indexes[version] = found
            while len(_indexes) > MAX_INDEXES:
                _indexes.popitem(last=False)
        return found


def locate(
    lat: float,
    lon: float,
    *,
    kind: str = Kind.WARD,
    set_slug: str | None = None,
    on: datetime.date | None = None,
) -> LocatedDistrict | None:
    """The district of the current map of `kind` (or of the map `set_slug`, or of the
    map in force `on` a day) that holds the point, or None."""
    version = map_version(kind=kind, set_slug=set_slug, on=on)
    if version is None:
        return None
    return index(version).find(lat, lon)


def locate_many(
    points: Sequence[tuple[float, float]],
    *,
    kind: str = Kind.WARD,
    set_slug: str | None = None,
    on: datetime.date | None = None,
) -> list[LocatedDistrict | None]:
    """locate() for many (lat, lon) points at once, in their order; much faster per
    point than one call each (one pass through the tree, no Python per candidate)."""
    version = map_version(kind=kind, set_slug=set_slug, on=on)
    if version is None or not points:
        return [None] * len(points)
    coordinates = np.asarray(points, dtype=float).reshape(-1, 2)
    return index(version).find_many(coordinates[:, 0], coordinates[:, 1])
