"""Importing complaint data in the Citizens Police Data Project's shape.

Two CSV files (UTF-8, a header row; column names as CPDP publishes them, or the short
ones in brackets):

    officers:     officer_id [uid], first_name, last_name, rank, unit, appointed_date
    allegations:  crid [allegation_id], officer_id, incident_date, category, finding
                  [final_finding], outcome [final_outcome], beat, location,
                  latitude, longitude

One allegation is one complaint (crid) against one officer: a complaint naming three
officers is three rows. Importing the same file twice changes nothing (rows are keyed by
data set, crid and officer); a row that repeats an earlier row of the same file is
counted as a duplicate; a row that cannot be read is reported by its line number and
left out, the others are kept. Wards come from the districts app (the current ward map),
from the row's coordinates.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from groundswell.districts.locate import locate_many
from groundswell.organizations.models import Membership
from groundswell.research.actions.common import ResearchRefused, require_organizer
from groundswell.research.models import Allegation, Dataset, Officer

ALIASES = {
    "uid": "officer_id",
    "allegation_id": "crid",
    "final_finding": "finding",
    "final_outcome": "outcome",
    "incident_datetime": "incident_date",
    "lat": "latitude",
    "lon": "longitude",
    "lng": "longitude",
}
ALLEGATION_REQUIRED = ("crid", "incident_date", "category")
COMPARED = ("incident_date", "category", "finding", "outcome", "beat", "location", "lat", "lon")

Row = tuple[int, dict[str, str]]  # (line number, values by column name)


@dataclass
class Imported:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def create_dataset(
    membership: Membership,
    *,
    name: str,
    source: str,
    data_date: datetime.date,
    source_url: str = "",
    synthetic: bool = False,
) -> Dataset:
    require_organizer(membership)
    if not name.strip() or not source.strip():
        raise ResearchRefused(_("Name the data set and say where the data comes from."))
    return Dataset.objects.create(
        organization=membership.organization,
        name=name.strip(),
        source=source.strip(),
        source_url=source_url,
        data_date=data_date,
        synthetic=synthetic,
    )


def rows_of(data: bytes | str) -> Iterator[Row]:
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ResearchRefused(
                _("This file is not UTF-8 text. Save it as CSV (UTF-8).")
            ) from error
    reader = csv.reader(io.StringIO(data))
    header = next(reader, None)
    if header is None:
        raise ResearchRefused(_("The file is empty."))
    names = [ALIASES.get(h.strip().lower(), h.strip().lower()) for h in header]
    for line, values in enumerate(reader, start=2):
        if not any(v.strip() for v in values):
            continue
        yield line, {n: (values[i].strip() if i < len(values) else "") for i, n in enumerate(names)}


def _date(value: str) -> datetime.date:
    value = value.strip()[:10]
    for fmt in ("%Y-%m-%d", "%m/%d/%Y"):
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value})


def _coordinate(value: str, low: float, high: float) -> float | None:
    if not value:
        return None
    number = float(value)
    if not low <= number <= high:
        raise ValueError(_("“%(value)s” is not a coordinate.") % {"value": value})
    return number


def import_officers(membership: Membership, dataset: Dataset, data: bytes | str) -> Imported:
    """Add or update the data set's officers from an officers file, at once (the
    organizer's uploads go through the worker: complaint_imports)."""
    require_organizer(membership, dataset.organization)
    result = Imported()
    parsed = parse_officers(list(rows_of(data)), set(), result)
    with transaction.atomic():
        store_officers(dataset, parsed, result)
    return result


def import_allegations(membership: Membership, dataset: Dataset, data: bytes | str) -> Imported:
    """Add or update the data set's allegations from an allegations file, at once."""
    require_organizer(membership, dataset.organization)
    result = Imported()
    parsed = parse_allegations(list(rows_of(data)), set(), result)
    place_in_wards(parsed)
    with transaction.atomic():
        store_allegations(dataset, parsed, result)
    return result


def parse_officers(
    rows: list[Row], seen: set[str], result: Imported
) -> list[tuple[str, dict[str, object]]]:
    """The officers of these rows as (officer_id, values); a row whose officer_id is
    in `seen` (an earlier row of the file) is counted as a duplicate, an unreadable one
    as an error."""
    parsed: list[tuple[str, dict[str, object]]] = []
    for line, row in rows:
        officer_id = row.get("officer_id", "")[:40]
        if not officer_id:
            result.errors.append((line, _("The officer has no officer_id.")))
            continue
        if officer_id in seen:
            result.duplicates += 1
            continue
        seen.add(officer_id)
        try:
            appointed = _date(row["appointed_date"]) if row.get("appointed_date") else None
        except ValueError as error:
            result.errors.append((line, str(error)))
            continue
        values: dict[str, object] = {
            "first_name": row.get("first_name", "")[:100],
            "last_name": row.get("last_name", "")[:100],
            "rank": row.get("rank", "")[:100],
            "unit": row.get("unit", "")[:100],
            "appointed": appointed,
        }
        parsed.append((officer_id, values))
    return parsed


def store_officers(
    dataset: Dataset, parsed: list[tuple[str, dict[str, object]]], result: Imported
) -> None:
    """Write parsed officers, comparing before writing (run it in a transaction)."""
    existing = {
        o.officer_id: o for o in dataset.officers.filter(officer_id__in=[i for i, _v in parsed])
    }
    for officer_id, values in parsed:
        officer = existing.get(officer_id)
        if officer is None:
            Officer.objects.create(dataset=dataset, officer_id=officer_id, **values)
            result.created += 1
        elif any(getattr(officer, k) != v for k, v in values.items()):
            Officer.objects.filter(pk=officer.pk).update(**values)
            result.updated += 1
        else:
            result.unchanged += 1


def parse_allegations(
    rows: list[Row], seen: set[tuple[str, str]], result: Imported
) -> list[dict[str, object]]:
    """The allegations of these rows; a row whose (crid, officer_id) is in `seen` is
    counted as a duplicate, an unreadable one as an error. No ward yet (place_in_wards)."""
    parsed: list[dict[str, object]] = []
    for line, row in rows:
        missing = [name for name in ALLEGATION_REQUIRED if not row.get(name)]
        if missing:
            result.errors.append(
                (line, _("Missing value: %(columns)s.") % {"columns": ", ".join(missing)})
            )
            continue
        key = (row["crid"][:40], row.get("officer_id", "")[:40])
        if key in seen:
            result.duplicates += 1
            continue
        try:
            values: dict[str, object] = {
                "incident_date": _date(row["incident_date"]),
                "category": row["category"][:200],
                "finding": row.get("finding", "")[:100],
                "outcome": row.get("outcome", "")[:100],
                "beat": row.get("beat", "")[:20],
                "location": row.get("location", "")[:300],
                "lat": _coordinate(row.get("latitude", ""), -90, 90),
                "lon": _coordinate(row.get("longitude", ""), -180, 180),
            }
        except ValueError as error:
            result.errors.append((line, str(error)))
            continue
        seen.add(key)
        parsed.append({"crid": key[0], "officer_ref": key[1], **values})
    return parsed


def store_allegations(dataset: Dataset, parsed: list[dict[str, object]], result: Imported) -> None:
    """Write parsed (and placed) allegations, comparing before writing (run it in a
    transaction)."""
    refs = {str(v["officer_ref"]) for v in parsed}
    officers = dict(dataset.officers.filter(officer_id__in=refs).values_list("officer_id", "pk"))
    existing = {
        (a.crid, a.officer_ref): a
        for a in dataset.allegations.filter(crid__in={str(v["crid"]) for v in parsed})
    }
    for values in parsed:
        values["officer_id"] = officers.get(str(values["officer_ref"]))
        current = existing.get((str(values["crid"]), str(values["officer_ref"])))
        if current is None:
            Allegation.objects.create(dataset=dataset, **values)
            result.created += 1
        elif any(getattr(current, k) != values[k] for k in (*COMPARED, "ward", "officer_id")):
            Allegation.objects.filter(pk=current.pk).update(**values)
            result.updated += 1
        else:
            result.unchanged += 1


def place_in_wards(rows: list[dict[str, object]]) -> None:
    """Each row's ward (number and division id) from its coordinates, on the current
    ward map; none without coordinates or outside every ward."""
    placed = [r for r in rows if r["lat"] is not None and r["lon"] is not None]
    for row in rows:
        row["ward"], row["ward_division_id"] = None, ""
    points = [(float(str(r["lat"])), float(str(r["lon"]))) for r in placed]
    for row, ward in zip(placed, locate_many(points), strict=True):
        if ward is not None:
            row["ward"], row["ward_division_id"] = ward.number, ward.division_id
