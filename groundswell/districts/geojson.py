"""Reading a district map from a GeoJSON file, every problem found before anything is written.

`read_districts(data)` takes the file's bytes and returns the districts it holds, or
raises DistrictFileError with every problem it found (up to MAX_PROBLEMS), each saying
where and what to do. It checks, in order:

- the size (a cap, read before parsing, so 50 MB of nonsense costs no parse);
- JSON (UTF-8, no NaN or Infinity, not nested absurdly deep);
- a FeatureCollection of Features, each with a Polygon or MultiPolygon;
- WGS84 longitude/latitude, as RFC 7946 requires: a `crs` member naming anything but
  CRS84 or EPSG:4326 is refused (Chicago's portal also offers State Plane feet,
  EPSG:3435); values past ±180/±90 are projected coordinates; for a United States
  division id, a shape that lies outside the United States but would lie inside it with
  its two axes exchanged has its latitude first;
- closed rings of finite numbers, and a valid shape by shapely (`is_valid`, with
  `explain_validity` saying where it self-intersects);
- an Open Civic Data division id on every feature, each once.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.errors import ShapelyError
from shapely.geometry import MultiPolygon, Polygon
from shapely.validation import explain_validity

MAX_PROBLEMS = 20
# OCD division ids: lowercase type:id pairs after the country
# (https://open-civic-data.readthedocs.io/en/latest/ocdeps/0002.html).
OCD_DIVISION = re.compile(r"ocd-division/country:[a-z]{2}(/[a-z_]+:[\w.~-]+)*")
# CRS names that mean WGS84 longitude/latitude in GeoJSON (EPSG:4326 was written that
# way by many tools before RFC 7946, axis order aside: the axis check below catches a
# latitude-first file whatever it declares).
WGS84_NAMES = {
    "urn:ogc:def:crs:ogc:1.3:crs84",
    "urn:ogc:def:crs:ogc::crs84",
    "crs84",
    "epsg:4326",
    "urn:ogc:def:crs:epsg::4326",
    "urn:ogc:def:crs:epsg:4326",
    "http://www.opengis.net/def/crs/ogc/1.3/crs84",
    "http://www.opengis.net/def/crs/epsg/0/4326",
}
# Where places with a division id under country:us lie, as (west, south, east, north)
# boxes: the states and Puerto Rico; Guam and the Northern Marianas; American Samoa;
# the Aleutians past the 180th meridian.
UNITED_STATES = (
    (-180.0, 17.0, -64.0, 72.0),
    (144.0, 13.0, 147.0, 21.0),
    (-171.5, -15.0, -168.0, -10.5),
    (172.0, 51.0, 180.0, 54.0),
)


class DistrictFileError(ValueError):
    """The file cannot be imported; `problems` says why, one sentence each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class DistrictShape:
    """One district as read from the file."""

    division_id: str
    name: str
    number: int | None
    geometry: Polygon | MultiPolygon

    @property
    def wkb(self) -> bytes:
        return shapely.to_wkb(self.geometry, output_dimension=2, byte_order=1)


def digest(districts: Iterable[DistrictShape]) -> str:
    """SHA-256 of what an import stores, in division id order: the same map read from a
    reformatted file gives the same digest."""
    sha = hashlib.sha256()
    for district in sorted(districts, key=lambda d: d.division_id):
        for part in (district.division_id, district.name, str(district.number)):
            sha.update(part.encode() + b"\0")
        sha.update(district.wkb)
    return sha.hexdigest()


def read_districts(
    data: bytes,
    *,
    max_bytes: int,
    kind: str = "ward",
    id_property: str = "division_id",
    name_property: str = "name",
) -> list[DistrictShape]:
    """The districts of a GeoJSON FeatureCollection, or DistrictFileError."""
    if len(data) > max_bytes:
        raise too_large(max_bytes)
    collection = _parse(data)
    problems = Problems()
    features = collection.get("features")
    if not isinstance(features, list) or not features:
        raise DistrictFileError(["The FeatureCollection has no features."])
    _check_crs(collection.get("crs"), "The file", problems)
    problems.stop_if_any()

    districts: list[DistrictShape] = []
    seen: dict[str, int] = {}
    for index, feature in enumerate(features, start=1):
        where = f"Feature {index}"
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.add(f"{where} is not a GeoJSON Feature.")
            continue
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            problems.add(f"{where} has properties that are not an object.")
            continue
        division_id = properties.get(id_property)
        if isinstance(division_id, str) and division_id.strip():
            division_id = division_id.strip()
            where = f"Feature {index} ({division_id})"
            if not OCD_DIVISION.fullmatch(division_id) or division_id != division_id.lower():
                problems.add(
                    f"{where}: {id_property} is not an Open Civic Data division id such as "
                    "ocd-division/country:us/state:il/place:chicago/ward:12."
                )
            elif division_id in seen:
                problems.add(f"{where}: the same {id_property} as feature {seen[division_id]}.")
            else:
                seen[division_id] = index
        else:
            problems.add(f"{where} has no {id_property} property.")
            division_id = None
        _check_crs(feature.get("crs"), where, problems)
        geometry = _geometry(feature.get("geometry"), where, problems)
        if geometry is None or division_id is None:
            continue
        if division_id.startswith("ocd-division/country:us/"):
            _check_axes(geometry, where, problems)
        number = _number(division_id)
        name = properties.get(name_property)
        if not isinstance(name, str) or not name.strip():
            name = _default_name(kind, number, division_id)
        districts.append(DistrictShape(division_id, name.strip()[:200], number, geometry))
    problems.stop_if_any()
    return districts


class Problems:
    def __init__(self) -> None:
        self.found: list[str] = []
        self.more = 0

    def add(self, problem: str) -> None:
        if len(self.found) < MAX_PROBLEMS:
            self.found.append(problem)
        else:
            self.more += 1

    def stop_if_any(self) -> None:
        if self.found:
            tail = [f"… and {self.more} more problems."] if self.more else []
            raise DistrictFileError(self.found + tail)


def too_large(max_bytes: int) -> DistrictFileError:
    return DistrictFileError(
        [
            f"The file is larger than {max_bytes / (1024 * 1024):g} MB "
            "(DISTRICTS_IMPORT_MAX_MB): is it the right file?"
        ]
    )


def _parse(data: bytes) -> dict[str, Any]:
    def refuse_constant(name: str) -> None:
        raise ValueError(f"{name} is not a number JSON allows")

    try:
        collection = json.loads(data.decode("utf-8-sig"), parse_constant=refuse_constant)
    except UnicodeDecodeError:
        raise DistrictFileError(["The file is not text in UTF-8: is it GeoJSON?"]) from None
    except RecursionError:
        raise DistrictFileError(["The file's JSON is nested too deeply."]) from None
    except ValueError as exc:
        raise DistrictFileError([f"The file is not valid JSON: {exc}."]) from None
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection":
        raise DistrictFileError(
            ['The file is not a GeoJSON FeatureCollection: its "type" must be "FeatureCollection".']
        )
    return collection


def _check_crs(crs: object, where: str, problems: Problems) -> None:
    """A GeoJSON 2008 `crs` member that names another coordinate system than WGS84."""
    if crs is None:
        return
    name = ""
    if isinstance(crs, dict) and isinstance(crs.get("properties"), dict):
        name = str(crs["properties"].get("name") or crs["properties"].get("href") or "")
    if name.strip().lower() not in WGS84_NAMES:
        problems.add(
            f"{where} declares the coordinate system {name or json.dumps(crs)[:80]}: "
            "coordinates must be WGS84 longitude/latitude (reproject the file, e.g. "
            "ogr2ogr -t_srs EPSG:4326 out.geojson in.geojson)."
        )


def _geometry(geometry: object, where: str, problems: Problems) -> Polygon | MultiPolygon | None:
    if not isinstance(geometry, dict):
        problems.add(f"{where} has no geometry.")
        return None
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    try:
        if kind == "Polygon":
            shape: Polygon | MultiPolygon = Polygon(*_polygon(coordinates))
        elif kind == "MultiPolygon":
            if not isinstance(coordinates, list) or not coordinates:
                raise ValueError("a MultiPolygon needs a list of polygons")
            shape = MultiPolygon([_polygon(polygon) for polygon in coordinates])
        else:
            problems.add(f"{where} is a {kind}: districts must be Polygons or MultiPolygons.")
            return None
    except (ValueError, ShapelyError) as exc:
        problems.add(f"{where} has malformed coordinates: {exc}.")
        return None
    x_min, y_min, x_max, y_max = shape.bounds
    if x_min < -180 or x_max > 180 or y_min < -90 or y_max > 90:
        problems.add(
            f"{where} has coordinates out of the range of longitude/latitude "
            f"(from {x_min:.6g}, {y_min:.6g} to {x_max:.6g}, {y_max:.6g}): they look "
            "projected; reproject the file to WGS84 (EPSG:4326)."
        )
        return None
    if not shape.is_valid:
        problems.add(
            f"{where} has an invalid shape: {explain_validity(shape)} (repair it, e.g. "
            "with ogr2ogr -makevalid or QGIS's Fix geometries)."
        )
        return None
    if shape.is_empty or shape.area == 0:
        problems.add(f"{where} has an empty shape.")
        return None
    return shape


def _polygon(rings: object) -> tuple[list[tuple[float, float]], list[list[tuple[float, float]]]]:
    if not isinstance(rings, list) or not rings:
        raise ValueError("a polygon needs a list of rings")
    shell, *holes = (_ring(ring) for ring in rings)
    return shell, holes


def _ring(ring: object) -> list[tuple[float, float]]:
    if not isinstance(ring, list) or len(ring) < 4:
        raise ValueError("a ring needs at least four positions")
    positions = [_position(position) for position in ring]
    if positions[0] != positions[-1]:
        raise ValueError("a ring does not end where it starts")
    return positions


def _position(position: object) -> tuple[float, float]:
    if (
        not isinstance(position, list)
        or len(position) not in (2, 3)
        or not all(
            isinstance(value, int | float) and not isinstance(value, bool) for value in position
        )
    ):
        raise ValueError(f"{json.dumps(position)[:60]} is not a position [longitude, latitude]")
    x, y = float(position[0]), float(position[1])
    if not (math.isfinite(x) and math.isfinite(y)):
        raise ValueError("a coordinate is not a finite number")
    return x, y


def _within(bounds: tuple[float, float, float, float]) -> bool:
    x_min, y_min, x_max, y_max = bounds
    return any(
        west <= x_min and x_max <= east and south <= y_min and y_max <= north
        for west, south, east, north in UNITED_STATES
    )


def _check_axes(shape: Polygon | MultiPolygon, where: str, problems: Problems) -> None:
    x_min, y_min, x_max, y_max = shape.bounds
    if _within((x_min, y_min, x_max, y_max)):
        return
    if _within((y_min, x_min, y_max, x_max)):
        problems.add(
            f"{where}: the coordinates look swapped (latitude first); GeoJSON puts longitude first."
        )
    else:
        problems.add(
            f"{where} lies outside the United States (from {x_min:.6g}, {y_min:.6g} to "
            f"{x_max:.6g}, {y_max:.6g}) although its division id is in it."
        )


def _number(division_id: str) -> int | None:
    """12 for .../ward:12."""
    last = division_id.rsplit("/", 1)[-1].partition(":")[2]
    return int(last) if last.isdigit() else None


def _default_name(kind: str, number: int | None, division_id: str) -> str:
    if number is None:
        return division_id.rsplit("/", 1)[-1]
    return f"{kind.title()} {number}"
