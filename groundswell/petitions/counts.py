"""Petition counts by aggregation, never by a counter row updated per signature.

Signing and verifying insert CountChange rows. The worker's clock folds them into
DailyCount (per day signed and source) and PetitionCount (totals) every
COUNT_INTERVAL seconds, and recounts from the signatures every RECOUNT_INTERVAL
seconds to repair any drift. Both are safe to run in several workers at once.

Counts by district follow the same way: DistrictCountChange rows, written when the
worker locates a signature that counts (groundswell.districts.assignment) and when a
located one is confirmed, invalidated, restored or cleared, are folded into
DistrictCount (per petition, district and precision) and recounted with the rest.
`by_district(petition)` and `district_figures(petition)` are what pages, packets and
whip boards read: only ward facts, never a ZIP point.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from groundswell.districts.locate import map_version
from groundswell.districts.located import LOW, WARD_FACTS, LocatedPrecision
from groundswell.petitions import goals
from groundswell.petitions.models import (
    CountChange,
    DailyCount,
    DistrictCount,
    DistrictCountChange,
    Milestone,
    Petition,
    PetitionCount,
    Signature,
    SignatureState,
    Status,
)

logger = logging.getLogger(__name__)

FOLD_BATCH = 5000
Key = tuple[int, datetime.date, str]
Place = tuple[int, int | None, str]  # petition, district (None: no ward fact), precision


def record_change(signature: Signature, *, total: int = 0, verified: int = 0) -> None:
    """Note that a signature changed the counts; the worker folds it in within seconds."""
    CountChange.objects.create(
        petition_id=signature.petition_id,
        day=signature.day,
        source=signature.source,
        total=total,
        verified=verified,
    )
    if signature.located_at is not None:
        DistrictCountChange.objects.create(
            petition_id=signature.petition_id,
            district_id=signature.district_id,
            precision=signature.district_precision,
            total=total,
            verified=verified,
        )


def record_changes(petition: Petition, signatures: QuerySet[Signature], *, direction: int) -> None:
    """Add (direction=1) or take out (-1) these signatures from the counts: one GROUP BY
    over them, one change row per day and source (clearing suspects, invalidating)."""
    rows = (
        signatures.annotate(signed_on=TruncDate("created_at"))
        .values("signed_on", "source")
        .annotate(total=Count("id"), verified=Count("id", filter=Q(state=SignatureState.VERIFIED)))
        .order_by()
    )
    CountChange.objects.bulk_create(
        CountChange(
            petition=petition,
            day=row["signed_on"],
            source=row["source"],
            total=direction * row["total"],
            verified=direction * row["verified"],
        )
        for row in rows
    )
    by_place = (
        signatures.filter(located_at__isnull=False)
        .values("district_id", "district_precision")
        .annotate(total=Count("id"), verified=Count("id", filter=Q(state=SignatureState.VERIFIED)))
        .order_by()
    )
    DistrictCountChange.objects.bulk_create(
        DistrictCountChange(
            petition=petition,
            district_id=row["district_id"],
            precision=row["district_precision"],
            total=direction * row["total"],
            verified=direction * row["verified"],
        )
        for row in by_place
    )


def record_located(changes: dict[Place, list[int]]) -> None:
    """Add signatures the worker has just located to the counts by district: (total,
    verified) per petition, district and precision, of those that count."""
    DistrictCountChange.objects.bulk_create(
        DistrictCountChange(
            petition_id=petition_id,
            district_id=district_id,
            precision=precision,
            total=total,
            verified=verified,
        )
        for (petition_id, district_id, precision), (total, verified) in sorted(
            changes.items(), key=_place_order
        )
        if total or verified
    )


def _place_order(item: tuple[Place, list[int]]) -> tuple[int, int, str]:
    (petition_id, district_id, precision), _counts = item
    return (petition_id, district_id or 0, precision)


def fold() -> int:
    """Fold waiting count changes into the counts; returns how many were folded."""
    return _fold_totals() + fold_districts()


def _fold_totals() -> int:
    folded = 0
    while CountChange.objects.exists():  # a read: idle, it never takes SQLite's write lock
        with transaction.atomic():
            rows = list(
                CountChange.objects.select_for_update(skip_locked=True)
                .order_by("id")
                .values_list("id", "petition_id", "day", "source", "total", "verified")[:FOLD_BATCH]
            )
            if not rows:
                return folded
            CountChange.objects.filter(id__in=[row[0] for row in rows]).delete()
            deltas: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
            for _id, petition_id, day, source, total, verified in rows:
                deltas[(petition_id, day, source)][0] += total
                deltas[(petition_id, day, source)][1] += verified
            petition_ids = sorted({key[0] for key in deltas})
            _lock_totals(petition_ids)
            _apply(deltas)
            refresh_totals(petition_ids)
        folded += len(rows)
        if len(rows) < FOLD_BATCH:
            return folded
    return folded


def fold_districts() -> int:
    """Fold waiting changes by district into DistrictCount; returns how many."""
    folded = 0
    while DistrictCountChange.objects.exists():
        with transaction.atomic():
            rows = list(
                DistrictCountChange.objects.select_for_update(skip_locked=True)
                .order_by("id")
                .values_list("id", "petition_id", "district_id", "precision", "total", "verified")[
                    :FOLD_BATCH
                ]
            )
            if not rows:
                return folded
            DistrictCountChange.objects.filter(id__in=[row[0] for row in rows]).delete()
            deltas: dict[Place, list[int]] = defaultdict(lambda: [0, 0])
            for _id, petition_id, district_id, precision, total, verified in rows:
                deltas[(petition_id, district_id, precision)][0] += total
                deltas[(petition_id, district_id, precision)][1] += verified
            _apply_districts(deltas)
        folded += len(rows)
        if len(rows) < FOLD_BATCH:
            return folded
    return folded


def _apply_districts(deltas: dict[Place, list[int]]) -> None:
    # A fixed order, so concurrent folds cannot deadlock.
    items = sorted(deltas.items(), key=_place_order)
    DistrictCount.objects.bulk_create(
        [DistrictCount(petition_id=p, district_id=d, precision=r) for (p, d, r), _ in items],
        ignore_conflicts=True,
    )
    for (petition_id, district_id, precision), (total, verified) in items:
        if total or verified:
            where = Q(district__isnull=True) if district_id is None else Q(district_id=district_id)
            DistrictCount.objects.filter(
                where, petition_id=petition_id, precision=precision
            ).update(total=F("total") + total, verified=F("verified") + verified)


def _lock_totals(petition_ids: list[int]) -> None:
    """Serialize folds of the same petition: a second fold waits here until the first
    commits, so the totals it sums next include the first one's changes."""
    PetitionCount.objects.bulk_create(
        [PetitionCount(petition_id=pk) for pk in petition_ids], ignore_conflicts=True
    )
    list(
        PetitionCount.objects.select_for_update()
        .filter(petition_id__in=petition_ids)
        .order_by("petition_id")
        .values_list("petition_id", flat=True)
    )


def _apply(deltas: dict[Key, list[int]]) -> None:
    # Rows are touched in a fixed order so concurrent folds cannot deadlock.
    keys = sorted(deltas)
    DailyCount.objects.bulk_create(
        [DailyCount(petition_id=p, day=d, source=s) for p, d, s in keys],
        ignore_conflicts=True,
    )
    for key in keys:
        total, verified = deltas[key]
        petition_id, day, source = key
        DailyCount.objects.filter(petition_id=petition_id, day=day, source=source).update(
            total=F("total") + total, verified=F("verified") + verified
        )


def refresh_totals(petition_ids: Iterable[int]) -> None:
    """Rewrite the totals of these petitions from their daily counts; note milestones."""
    for petition in Petition.objects.filter(pk__in=list(petition_ids)).order_by("pk"):
        sums = DailyCount.objects.filter(petition=petition).aggregate(
            total=Sum("total", default=0), verified=Sum("verified", default=0)
        )
        shown = sums["total"] if petition.counts_unverified else sums["verified"]
        PetitionCount.objects.update_or_create(
            petition=petition,
            defaults={
                "total": sums["total"],
                "verified": sums["verified"],
                "shown": shown,
                "updated_at": timezone.now(),
            },
        )
        _note_milestones(petition, shown)


def _note_milestones(petition: Petition, shown: int) -> None:
    from groundswell.petitions import emails

    reached = set(goals.milestones_reached(shown))
    if not reached:
        return
    known = set(petition.milestones.values_list("threshold", flat=True))
    for threshold in sorted(reached - known):
        try:
            with transaction.atomic():
                milestone = Milestone.objects.create(petition=petition, threshold=threshold)
                emails.queue_milestone_notice(milestone)
        except IntegrityError:
            continue  # another worker noted it first


def recount(petition: Petition) -> None:
    """Recompute the petition's counts from its signatures (repairs any drift)."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and outermost:
            # One snapshot for the signatures and the not-yet-folded changes. (Inside
            # a caller's transaction, that transaction's snapshot rules apply.)
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        truth: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
        by_day = (
            Signature.objects.filter(petition=petition)
            .counted()
            .annotate(signed_on=TruncDate("created_at"))
            .values("signed_on", "source")
            .annotate(
                total=Count("id"), verified=Count("id", filter=Q(state=SignatureState.VERIFIED))
            )
        )
        for row in by_day:
            truth[(petition.pk, row["signed_on"], row["source"])] = [row["total"], row["verified"]]
        # Changes not yet folded are in the signatures but not in the counts: leave them out.
        for change in CountChange.objects.filter(petition=petition).values(
            "day", "source", "total", "verified"
        ):
            key = (petition.pk, change["day"], change["source"])
            truth[key][0] -= change["total"]
            truth[key][1] -= change["verified"]
        DailyCount.objects.filter(petition=petition).delete()
        DailyCount.objects.bulk_create(
            DailyCount(petition_id=p, day=d, source=s, total=t, verified=v)
            for (p, d, s), (t, v) in sorted(truth.items())
            if t or v
        )
        _recount_districts(petition)
        refresh_totals([petition.pk])


def _recount_districts(petition: Petition) -> None:
    """DistrictCount from the located signatures, less the changes not yet folded."""
    truth: dict[Place, list[int]] = defaultdict(lambda: [0, 0])
    by_place = (
        Signature.objects.filter(petition=petition, located_at__isnull=False)
        .counted()
        .values("district_id", "district_precision")
        .annotate(total=Count("id"), verified=Count("id", filter=Q(state=SignatureState.VERIFIED)))
        .order_by()
    )
    for row in by_place:
        place = (petition.pk, row["district_id"], row["district_precision"])
        truth[place] = [row["total"], row["verified"]]
    for change in DistrictCountChange.objects.filter(petition=petition).values(
        "district_id", "precision", "total", "verified"
    ):
        place = (petition.pk, change["district_id"], change["precision"])
        truth[place][0] -= change["total"]
        truth[place][1] -= change["verified"]
    DistrictCount.objects.filter(petition=petition).delete()
    DistrictCount.objects.bulk_create(
        DistrictCount(petition_id=p, district_id=d, precision=r, total=t, verified=v)
        for (p, d, r), (t, v) in sorted(truth.items(), key=_place_order)
        if t or v
    )


def recount_all() -> None:
    """Recount every petition still taking signatures."""
    petitions = Petition.objects.filter(status=Status.OPEN).order_by("pk")
    for petition in petitions:
        try:
            recount(petition)
        except DatabaseError:
            # A concurrent fold touched the same rows; the next recount repairs it.
            logger.info("Recount of petition %s deferred by a concurrent fold", petition.pk)


@dataclass(frozen=True)
class DistrictFigures:
    """A petition's verified signers by ward, and those that cannot be put in one."""

    by_district: dict[str, int]  # division id -> verified signers: ward facts only
    in_districts: int  # their sum
    low_precision: int  # located by a ZIP, street or area point only: never a ward fact
    not_found: int  # nothing to go by, or a point outside every ward of the map
    unlocated: int  # not located yet (the worker lags), or on a map no longer in force


def by_district(petition: Petition) -> dict[str, int]:
    """Verified signers of the petition per district of the current ward map, by Open
    Civic Data division id: only ward facts (a point given, an exact or interpolated
    address), never a ZIP point. Districts without signers are left out."""
    return verified_by_district(Petition.objects.filter(pk=petition.pk))


def verified_by_district(petitions: QuerySet[Petition]) -> dict[str, int]:
    """by_district summed over several petitions (a campaign's, for a whip board)."""
    version = map_version()
    if version is None:
        return {}
    rows = (
        DistrictCount.objects.filter(
            petition__in=petitions.values("pk"),
            district__set_id=version.id,
            precision__in=WARD_FACTS,
            verified__gt=0,
        )
        .values("district__division_id")
        .annotate(verified=Sum("verified"))
        .order_by("district__division_id")
    )
    return {row["district__division_id"]: row["verified"] for row in rows if row["verified"]}


def district_figures(petition: Petition) -> DistrictFigures:
    """by_district, with the verified signers it leaves out and why (for a dashboard
    and a delivery packet's statement on geocoding precision)."""
    wards = by_district(petition)
    rows = DistrictCount.objects.filter(petition=petition, district__isnull=True)
    low = rows.filter(precision__in=LOW).aggregate(n=Sum("verified", default=0))["n"]
    not_found = rows.filter(
        Q(precision=LocatedPrecision.NONE) | Q(precision__in=WARD_FACTS)
    ).aggregate(n=Sum("verified", default=0))["n"]
    verified = PetitionCount.objects.filter(petition=petition).values_list("verified", flat=True)
    total = verified[0] if verified else 0
    in_districts = sum(wards.values())
    return DistrictFigures(
        by_district=wards,
        in_districts=in_districts,
        low_precision=low,
        not_found=not_found,
        unlocated=max(0, total - in_districts - low - not_found),
    )
