"""Every change to district maps and the geocoder's cache goes through these functions."""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from groundswell.districts import locate
from groundswell.districts.geojson import DistrictFileError, digest, read_districts, too_large
from groundswell.districts.models import District, DistrictSet, GeocodedAddress, Kind

__all__ = ["DistrictFileError", "Imported", "import_districts", "prune_geocodes"]


@dataclass(frozen=True)
class Imported:
    """What an import did: `created` a new version, `updated` the dates or name of the
    latest one (same districts), or nothing (the same file again)."""

    district_set: DistrictSet
    created: bool
    updated: bool
    districts: int


def import_districts(
    source: str | Path | BinaryIO,
    set_slug: str,
    *,
    name: str = "",
    kind: str | None = None,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
    id_property: str = "division_id",
    name_property: str = "name",
) -> Imported:
    """Import the GeoJSON FeatureCollection at `source` (a path or an open binary file)
    as the map `set_slug`.

    The whole file is read and checked first (groundswell.districts.geojson): a bad file
    raises DistrictFileError with every problem and changes nothing. Then, in one
    transaction: the first import of a slug creates version 1; the same districts again
    change nothing (only a new name or dates, when given, are written); different
    districts become a new version and the previous one is kept, marked superseded, for
    whatever refers to its districts. `valid_from` defaults to the previous version's, or
    today for a new map, so a new map of a kind takes over from the older one at once
    unless it is dated later. Lookups (groundswell.districts.locate) see the change at
    once in this process and within CURRENT_SECONDS in the others.
    """
    if kind is not None and kind not in Kind.values:
        raise DistrictFileError(
            [f"The kind must be one of {', '.join(Kind.values)}, not {kind!r}."]
        )
    if valid_from and valid_to and valid_to <= valid_from:
        raise DistrictFileError(["The end of the period must come after its start."])
    label, data = _read(source)
    shapes = read_districts(
        data,
        max_bytes=_max_bytes(),
        kind=kind or Kind.WARD,
        id_property=id_property,
        name_property=name_property,
    )
    file_digest = digest(shapes)

    with transaction.atomic():
        latest = (
            DistrictSet.objects.select_for_update().latest_versions().filter(slug=set_slug).first()
        )
        if latest is not None and latest.digest == file_digest:
            changes = {
                field: value
                for field, value in (
                    ("name", name),
                    ("kind", kind),
                    ("valid_from", valid_from),
                    ("valid_to", valid_to),
                )
                if value and getattr(latest, field) != value
            }
            if changes:
                for field, value in changes.items():
                    setattr(latest, field, value)
                latest.save(update_fields=list(changes))
            result = Imported(latest, created=False, updated=bool(changes), districts=len(shapes))
        else:
            now = timezone.now()
            if latest is not None:
                latest.superseded_at = now
                latest.save(update_fields=["superseded_at"])
            district_set = DistrictSet.objects.create(
                slug=set_slug,
                version=(latest.version + 1) if latest else 1,
                name=name or (latest.name if latest else set_slug.replace("-", " ").title()),
                kind=kind or (latest.kind if latest else Kind.WARD),
                valid_from=valid_from or (latest.valid_from if latest else timezone.localdate()),
                valid_to=valid_to or (latest.valid_to if latest else None),
                digest=file_digest,
                source=label[:255],
                imported_at=now,
            )
            District.objects.bulk_create(
                District(
                    set=district_set,
                    division_id=shape.division_id,
                    name=shape.name,
                    number=shape.number,
                    shape=shape.wkb,
                    min_lon=shape.geometry.bounds[0],
                    min_lat=shape.geometry.bounds[1],
                    max_lon=shape.geometry.bounds[2],
                    max_lat=shape.geometry.bounds[3],
                )
                for shape in shapes
            )
            result = Imported(district_set, created=True, updated=False, districts=len(shapes))
        transaction.on_commit(locate.forget)
    locate.forget()
    return result


def _max_bytes() -> int:
    return int(settings.DISTRICTS_IMPORT_MAX_MB * 1024 * 1024)


def _read(source: str | Path | BinaryIO) -> tuple[str, bytes]:
    """The file's name and bytes, reading at most one byte past the cap."""
    limit = _max_bytes() + 1
    if isinstance(source, str | Path):
        path = Path(source)
        try:
            if os.path.getsize(path) >= limit:
                raise too_large(limit - 1)  # without reading it
            with path.open("rb") as handle:
                return path.name, handle.read(limit)
        except OSError as exc:
            raise DistrictFileError([f"The file cannot be read: {exc.strerror or exc}."]) from None
    return str(getattr(source, "name", "")), source.read(limit)


def remember_geocode(
    key: str,
    *,
    lat: float | None,
    lon: float | None,
    precision: str,
    source: str,
    expires_at: datetime.datetime,
) -> None:
    """Keep a geocoder's answer (or that it found nothing) for an address key until
    `expires_at`; two workers remembering the same address at once both succeed."""
    GeocodedAddress.objects.bulk_create(
        [
            GeocodedAddress(
                key=key,
                lat=lat,
                lon=lon,
                precision=precision,
                source=source,
                created_at=timezone.now(),
                expires_at=expires_at,
            )
        ],
        update_conflicts=True,
        unique_fields=["key"],
        update_fields=["lat", "lon", "precision", "source", "created_at", "expires_at"],
    )


def prune_geocodes() -> int:
    """Delete the geocoder's answers past their expiry; the worker's clock runs this daily."""
    deleted, _ = GeocodedAddress.objects.expired().delete()
    return deleted
