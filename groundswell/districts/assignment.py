"""Giving records their district in the worker: one routine for signatures, people and
whatever else registers here.

An app whose model is `Located` (groundswell.districts.located) registers a Locatable
in its AppConfig.ready:

    from groundswell.districts import assignment

    assignment.register(assignment.Locatable(
        name="signatures",
        model=Signature,
        fields=("address", "zip_code", "lat", "lon"),
        place_of=lambda row: assignment.Place(row["address"], row["zip_code"], ...),
        lock_fields=("petition_id", "state", ...),   # read under the lock, for on_located
        on_located=counts_by_district,                 # in the same transaction
    ))

The worker's clock runs `assign_all()`: for each registered model it takes rows not
located yet (`located_at` null) in batches of BATCH, in id order, and

1. reads what to go by (a point, an address, a ZIP code), outside any transaction;
2. places them (`place_many`), still outside any transaction: points all at once
   through locate_many, addresses one by one through the geocoder (answers cached by
   groundswell.districts.geocoding), a bare ZIP code to its approximate point;
3. writes the result in one short transaction that locks the rows and skips any
   another worker placed meanwhile (on PostgreSQL one UPDATE for the whole batch, which
   also skips rows another transaction holds; elsewhere one UPDATE per district and
   precision), and lets the app add its consequences (`on_located`, e.g. counts by
   ward) there, from the rows' values read under the lock.

Killed at any moment it loses nothing and repeats nothing: before the commit nothing is
written (the next round places those rows again, the geocoder's answers coming from the
cache), after it the rows are marked and never taken again. Several workers at once
may both place a row; only the first to lock it writes.

When the geocoder is in trouble (timing out, answering nonsense), an address is left
for a later round rather than settled at its ZIP point for good.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import connection, models, transaction
from django.utils import timezone

from groundswell.core.network import outside_transaction
from groundswell.districts import geocoding
from groundswell.districts.locate import locate_many
from groundswell.districts.located import LocatedPrecision
from groundswell.districts.models import Kind

logger = logging.getLogger(__name__)

BATCH = 5000


@dataclass(frozen=True, slots=True)
class Place:
    """What a record gives to find its district by."""

    address: str = ""
    zip_code: str = ""
    lat: float | None = None
    lon: float | None = None

    @classmethod
    def of_address(
        cls,
        address: str | None,
        city: str | None = "",
        state: str | None = "",
        zip_code: str | None = "",
    ) -> Place:
        """A street address with its city and state as one line (the geocoders' input);
        None (an unlinked person's fields) counts as blank."""
        street = (address or "").strip()
        line = ", ".join(p for p in (street, (city or "").strip(), (state or "").strip()) if p)
        return cls(address=line if street else "", zip_code=(zip_code or "").strip())


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a record was placed: a district only for a ward fact."""

    district_id: int | None
    precision: str


Row = dict[str, Any]
PlaceOf = Callable[[Row], Place]


@dataclass(frozen=True)
class Locatable:
    """A model whose rows the worker places (see the module docstring)."""

    name: str
    model: type[models.Model]
    fields: tuple[str, ...]
    place_of: PlaceOf
    lock_fields: tuple[str, ...] = ()
    on_located: Callable[[list[Row], dict[int, Placement]], None] | None = None
    kind: str = Kind.WARD
    pending: Callable[[], models.QuerySet[Any]] | None = field(default=None)

    def unlocated(self) -> models.QuerySet[Any]:
        if self.pending is not None:
            return self.pending()
        return self.model._default_manager.filter(located_at__isnull=True)


_locatables: dict[str, Locatable] = {}


def register(locatable: Locatable) -> None:
    _locatables[locatable.name] = locatable


def locatables() -> list[Locatable]:
    return list(_locatables.values())


def place_many(places: Sequence[Place], *, kind: str = Kind.WARD) -> list[Placement | None]:
    """Where each place is, in order; None for an address to try again later (the
    geocoder is in trouble). Talks to the geocoder, so never inside a transaction."""
    outside_transaction("Locating addresses")
    placed: list[Placement | None] = [None] * len(places)
    with_points = [i for i, p in enumerate(places) if p.lat is not None and p.lon is not None]
    found = locate_many(
        [(places[i].lat or 0.0, places[i].lon or 0.0) for i in with_points], kind=kind
    )
    for i, district in zip(with_points, found, strict=True):
        placed[i] = Placement(district.id if district else None, LocatedPrecision.POINT)
    service = geocoding.geocoder()
    for i, place in enumerate(places):
        if placed[i] is not None:
            continue
        if place.address.strip():
            where = geocoding.locate_address(place.address, zip_code=place.zip_code, kind=kind)
            answered = where.location is not None and where.location.source != "zip"
            if service is not None and geocoding.trouble.incident.active and not answered:
                continue  # asked again in a later round, not settled at a ZIP point
            placed[i] = _placement(where)
        elif place.zip_code.strip():
            location = geocoding.zip_point(place.zip_code)
            placed[i] = Placement(None, location.precision if location else LocatedPrecision.NONE)
        else:
            placed[i] = Placement(None, LocatedPrecision.NONE)
    return placed


def _placement(where: geocoding.AddressDistrict) -> Placement:
    if where.location is None:
        return Placement(None, LocatedPrecision.NONE)
    # `district` is set by locate_address only for a ward fact: a ZIP point never is one.
    return Placement(where.district.id if where.district else None, where.location.precision)


def assign(locatable: Locatable, *, batch: int = BATCH, limit: int | None = None) -> int:
    """Place the model's rows not located yet, batch by batch; returns how many were
    written. Rows left for later (a geocoder in trouble) are passed over until the next
    call, so one call always ends."""
    written = 0
    after = 0
    while limit is None or written < limit:
        rows = list(
            locatable.unlocated()
            .filter(pk__gt=after)
            .order_by("pk")
            .values("pk", *locatable.fields)[:batch]
        )
        if not rows:
            break
        after = rows[-1]["pk"]
        placements = place_many([locatable.place_of(row) for row in rows], kind=locatable.kind)
        done = {
            row["pk"]: placement
            for row, placement in zip(rows, placements, strict=True)
            if placement is not None
        }
        if done:
            written += write(locatable, done)
        if len(rows) < batch:
            break
    return written


def write(locatable: Locatable, placements: dict[int, Placement]) -> int:
    """Mark these rows placed, in one transaction, unless another worker did first (or
    holds the row: it is taken again in a later round)."""
    now = timezone.now()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            rows = _write_in_one_statement(locatable, placements, now)
        else:
            rows = _write_grouped(locatable, placements, now)
        if locatable.on_located is not None and rows:
            locatable.on_located(rows, placements)
    return len(rows)


def _write_grouped(
    locatable: Locatable, placements: dict[int, Placement], now: datetime.datetime
) -> list[Row]:
    """Lock the rows still unplaced, then one UPDATE per district and precision."""
    manager = locatable.model._default_manager
    rows = list(
        manager.select_for_update()
        .filter(pk__in=list(placements), located_at__isnull=True)
        .order_by("pk")
        .values("pk", *locatable.lock_fields)
    )
    groups: dict[Placement, list[int]] = defaultdict(list)
    for row in rows:
        groups[placements[row["pk"]]].append(row["pk"])
    for placement, ids in groups.items():
        manager.filter(pk__in=ids).update(
            district_id=placement.district_id,
            district_precision=placement.precision,
            located_at=now,
        )
    return rows


def _write_in_one_statement(
    locatable: Locatable, placements: dict[int, Placement], now: datetime.datetime
) -> list[Row]:
    """PostgreSQL: lock the rows still unplaced (in id order, skipping any another
    transaction holds), set each one's district and return what on_located needs, in
    one statement: a batch of thousands costs one round trip, not one per district."""
    meta = locatable.model._meta
    quote = connection.ops.quote_name
    table, pk = quote(meta.db_table), quote(meta.pk.column)
    returned = [
        quote(cast(models.Field[Any, Any], meta.get_field(name)).get_attname_column()[1])
        for name in locatable.lock_fields
    ]
    ids = list(placements)
    # Only names from the model's own metadata are formatted in; values are parameters.
    sql = (
        f"UPDATE {table} AS t SET district_id = x.d, district_precision = x.p, "  # noqa: S608
        f"located_at = %s FROM (SELECT s.{pk} AS id, v.d, v.p FROM {table} AS s "
        f"JOIN unnest(%s::bigint[], %s::bigint[], %s::text[]) AS v(id, d, p) "
        f"ON s.{pk} = v.id WHERE s.located_at IS NULL ORDER BY s.{pk} "
        f"FOR UPDATE OF s SKIP LOCKED) AS x WHERE t.{pk} = x.id "
        f"RETURNING {', '.join([f't.{pk}', *(f't.{c}' for c in returned)])}"
    )
    params: list[Any] = [
        now,
        ids,
        [placements[i].district_id for i in ids],
        [placements[i].precision for i in ids],
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = ["pk", *locatable.lock_fields]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def assign_all() -> int:
    """Place every registered model's rows not located yet (the worker's clock job)."""
    written = 0
    for locatable in locatables():
        written += assign(locatable)
    if written:
        logger.info("Located %s records", written)
    return written
