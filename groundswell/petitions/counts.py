"""Petition counts by aggregation, never by a counter row updated per signature.

Signing and verifying insert CountChange rows. The worker's clock folds them into
DailyCount (per day signed and source) and PetitionCount (totals) every
COUNT_INTERVAL seconds, and recounts from the signatures every RECOUNT_INTERVAL
seconds to repair any drift. Both are safe to run in several workers at once.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable

from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from groundswell.petitions import goals
from groundswell.petitions.models import (
    CountChange,
    DailyCount,
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


def record_change(signature: Signature, *, total: int = 0, verified: int = 0) -> None:
    """Note that a signature changed the counts; the worker folds it in within seconds."""
    CountChange.objects.create(
        petition_id=signature.petition_id,
        day=signature.day,
        source=signature.source,
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


def fold() -> int:
    """Fold waiting count changes into the counts; returns how many were folded."""
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
        refresh_totals([petition.pk])


def recount_all() -> None:
    """Recount every petition still taking signatures."""
    petitions = Petition.objects.filter(status=Status.OPEN).order_by("pk")
    for petition in petitions:
        try:
            recount(petition)
        except DatabaseError:
            # A concurrent fold touched the same rows; the next recount repairs it.
            logger.info("Recount of petition %s deferred by a concurrent fold", petition.pk)
