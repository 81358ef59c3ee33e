"""Housekeeping of the task queue itself."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_tasks_db.models import DBTaskResult

KEEP_FINISHED_DAYS = 7


def prune_finished() -> int:
    """Delete tasks that finished (well or not) more than a week ago; returns how many.

    Without this the queue's table grows with every email ever sent, and claiming the
    next task slows down with it.
    """
    before = timezone.now() - datetime.timedelta(days=KEEP_FINISHED_DAYS)
    deleted, _ = DBTaskResult.objects.filter(
        status__in=["SUCCESSFUL", "FAILED"], finished_at__lt=before
    ).delete()
    return deleted
