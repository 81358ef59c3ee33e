"""Putting people on ladders: once per ladder, person and trigger (the unique key), so a
signal sent twice or a sweep run again enrolls nobody twice."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone

from groundswell.ladders.models import Enrollment, Ladder


def enroll(ladder: Ladder, people: Iterable[tuple[int, str]]) -> int:
    """Enroll (person id, trigger key) pairs in the ladder, in the caller's transaction;
    returns how many were offered. Already enrolled for that trigger: left as is."""
    now = timezone.now()
    rows = [
        Enrollment(
            ladder=ladder,
            person_id=person_id,
            trigger_key=key,
            due_at=now,
            created_at=now,
            updated_at=now,
        )
        for person_id, key in people
    ]
    Enrollment.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return len(rows)


def since(ladder: Ladder, now: datetime.datetime) -> datetime.datetime:
    """Where a sweep of new tags, list members or RSVPs starts: a little before the last
    sweep ended, for rows whose transaction committed after it looked (the key makes
    looking twice harmless), never before the ladder was activated."""
    start = ladder.activated_at or now
    if ladder.swept_until is not None:
        start = max(start, ladder.swept_until - datetime.timedelta(minutes=5))
    return start
