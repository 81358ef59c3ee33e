"""Complaint files an organizer uploads, imported by the worker (research.tasks).

`queue_import` checks the file (UTF-8 CSV with a header row) and keeps it with a job;
nothing is imported in the request. The worker's `run_import` reads the file from the
last committed row, a batch at a time: each batch is written in one transaction with
the job's progress (`rows_done`, claimed by a conditional UPDATE), so a worker killed
mid-import loses at most the batch in hand, the task (taken back by another worker)
resumes after the last committed batch, and two runs of the same job never write the
same batch twice. Writing compares before it writes, so importing the same file again
changes nothing. A row repeated in the file counts as a duplicate across batches too
(the keys of the rows before the resumed row are read again on each run).

An officers file uploaded with an allegations file is imported first, so that the
allegations find their officers.
"""

from __future__ import annotations

import itertools
import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from groundswell.organizations.models import Membership
from groundswell.research.actions import misconduct
from groundswell.research.actions.common import ResearchRefused, require_organizer
from groundswell.research.models import ComplaintImport, Dataset

if TYPE_CHECKING:
    from groundswell.accounts.models import User

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
# A task imports this many batches, then queues the next: other work (emails) is not
# kept waiting behind a long import.
BATCHES_PER_TASK = 20
KEEP_ERRORS = 500  # row errors kept (and shown) per import; all are counted
ACTIVE = (ComplaintImport.Status.QUEUED, ComplaintImport.Status.RUNNING)


def queue_import(
    membership: Membership,
    dataset: Dataset,
    *,
    kind: str,
    data: bytes,
    name: str = "",
    user: User | None = None,
    after: ComplaintImport | None = None,
) -> ComplaintImport:
    """Keep an uploaded complaint file and queue it for the worker. Raises
    ResearchRefused (and keeps nothing) for a file that is not UTF-8 CSV or is empty."""
    from groundswell.research import tasks

    require_organizer(membership, dataset.organization)
    if kind not in ComplaintImport.Kind.values:
        raise ResearchRefused(_("Choose an officers file or an allegations file."))
    rows_total = sum(1 for _row in misconduct.rows_of(data))  # refuses a file it cannot read
    with transaction.atomic():
        job = ComplaintImport.objects.create(
            dataset=dataset,
            kind=kind,
            original_name=name[:255],
            data=data,
            after=after,
            created_by=user,
            language=get_language() or settings.LANGUAGE_CODE,
            rows_total=rows_total,
        )
        if after is None:
            tasks.run_complaint_import.enqueue(job.pk)
    return job


def run_import(job_id: int, *, batches: int = BATCHES_PER_TASK) -> bool:
    """Import up to `batches` batches of the job from its last committed row. True when
    there is more to do (queue the next task), False when done, failed, waiting for
    its officers file, or another run got there first."""
    job = ComplaintImport.objects.select_related("dataset", "after").filter(pk=job_id).first()
    if job is None or job.status not in ACTIVE:
        return False
    if job.after is not None and job.after.status in ACTIVE:
        return False  # queued again when its officers file is done (_finish)
    if job.status == ComplaintImport.Status.QUEUED:
        ComplaintImport.objects.filter(pk=job.pk, status=ComplaintImport.Status.QUEUED).update(
            status=ComplaintImport.Status.RUNNING, started_at=timezone.now()
        )
    start = job.rows_done
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            rows = misconduct.rows_of(bytes(job.data))
            seen: set[object] = set()
            _read_keys(job.kind, list(itertools.islice(rows, start)), seen)
            for _batch in range(batches):
                batch = list(itertools.islice(rows, BATCH_SIZE))
                if not batch:
                    _finish(job.pk)
                    return False
                if not _commit(job, start, batch, seen):
                    return False
                start += len(batch)
        except Exception as exc:
            logger.exception("Complaint import %s failed at row %s", job_id, start)
            message = str(exc) if isinstance(exc, ResearchRefused) else type(exc).__name__
            ComplaintImport.objects.filter(pk=job_id).update(
                status=ComplaintImport.Status.FAILED,
                finished_at=timezone.now(),
                message=(
                    _("The import stopped after %(done)s rows (%(reason)s).")
                    % {"done": start, "reason": message}
                )[:500],
            )
            _start_waiting(job_id)
            if isinstance(exc, ResearchRefused):
                return False
            raise
    return True


def _read_keys(kind: str, rows: list[misconduct.Row], seen: set[object]) -> None:
    """The keys of rows already imported, so a later repeat counts as a duplicate."""
    if kind == ComplaintImport.Kind.OFFICERS:
        misconduct.parse_officers(rows, seen, misconduct.Imported())  # type: ignore[arg-type]
    else:
        misconduct.parse_allegations(rows, seen, misconduct.Imported())  # type: ignore[arg-type]


def _commit(
    job: ComplaintImport, start: int, batch: list[misconduct.Row], seen: set[object]
) -> bool:
    """Write one batch with the job's progress; False if another run committed it."""
    result = misconduct.Imported()
    if job.kind == ComplaintImport.Kind.OFFICERS:
        officers = misconduct.parse_officers(batch, seen, result)  # type: ignore[arg-type]
    else:
        allegations = misconduct.parse_allegations(batch, seen, result)  # type: ignore[arg-type]
        misconduct.place_in_wards(allegations)
    with transaction.atomic():
        claimed = ComplaintImport.objects.filter(
            pk=job.pk, rows_done=start, status=ComplaintImport.Status.RUNNING
        ).update(rows_done=start + len(batch))
        if not claimed:
            return False
        if job.kind == ComplaintImport.Kind.OFFICERS:
            misconduct.store_officers(job.dataset, officers, result)
        else:
            misconduct.store_allegations(job.dataset, allegations, result)
        kept = ComplaintImport.objects.values_list("errors", flat=True).get(pk=job.pk)
        room = max(0, KEEP_ERRORS - len(kept))
        ComplaintImport.objects.filter(pk=job.pk).update(
            created_count=F("created_count") + result.created,
            updated_count=F("updated_count") + result.updated,
            unchanged_count=F("unchanged_count") + result.unchanged,
            duplicate_count=F("duplicate_count") + result.duplicates,
            error_count=F("error_count") + len(result.errors),
            errors=[*kept, *([line, message] for line, message in result.errors[:room])],
        )
    return True


def _finish(job_id: int) -> None:
    with transaction.atomic():
        done = ComplaintImport.objects.filter(
            pk=job_id, status=ComplaintImport.Status.RUNNING
        ).update(status=ComplaintImport.Status.DONE, finished_at=timezone.now(), data=b"")
        if done:
            _start_waiting(job_id)


def _start_waiting(job_id: int) -> None:
    """Queue the imports that waited for this one (an allegations file for its officers)."""
    from groundswell.research import tasks

    with transaction.atomic():
        for waiting in ComplaintImport.objects.filter(
            after_id=job_id, status=ComplaintImport.Status.QUEUED
        ).values_list("pk", flat=True):
            tasks.run_complaint_import.enqueue(waiting)
