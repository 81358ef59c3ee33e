"""Writes of an organizer's CSV import: the job, its remembered mapping, and the rows.

An import by an organization creates or updates that organization's own Supporter
rows (and the shared Person rows used to match people), never another's. What the
file says is the organization's own data, so a non-blank cell replaces the value its
Supporter row held where its organizers could change it (a blank cell never erases
one); shared Person fields are only filled in where blank, and people are matched by
the same rules as any other input of the organization's own (people.actions.record_person
with `organization`): a row never adds an email address or a phone number to someone
found, nor joins an address to a record the organization could not see it on. Whether
someone was already known to other organizations, or to it without that address,
changes nothing the importer sees.

Rows are written in batches, each in one transaction with the job's progress
(`rows_done`), so a worker killed mid-import loses at most the batch in hand and the
next run resumes after the last committed batch. Re-running a batch, or importing
the same file again, changes nothing: every write compares before it writes.
"""

from __future__ import annotations

import datetime
import itertools
import logging
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from groundswell.organizations.models import Organization
from groundswell.people import audit
from groundswell.people.imports import parsing as imports
from groundswell.people.imports.batches import BatchWriter, skipped_reason, skipped_rows
from groundswell.people.models import (
    AuditEvent,
    ImportJob,
    ImportMapping,
)

if TYPE_CHECKING:
    from groundswell.accounts.models import User

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
# A task imports this many batches, then queues the next: other work (emails) is not
# kept waiting behind a long import, and a resumed task skips fewer rows.
BATCHES_PER_TASK = 20
# A task that started this long ago without finishing died with its worker.
STALLED_AFTER = datetime.timedelta(minutes=10)
TASK_PATH = "groundswell.people.imports.tasks.run_import"


# --- Upload, mapping, start --------------------------------------------------------------


def create_job(
    organization: Organization, user: User, upload: File[bytes], found: imports.Inspection
) -> ImportJob:
    """Keep an uploaded, inspected file (under PRIVATE_ROOT, under a random name)."""
    job = ImportJob(
        organization=organization,
        created_by=user,
        original_name=(upload.name or "")[:255],
        size=upload.size or 0,
        encoding=found.encoding,
        delimiter=found.delimiter,
        headers=found.headers,
        rows_total=found.rows_total,
    )
    upload.seek(0)
    job.file.save(f"{uuid.uuid4().hex}.csv", upload, save=False)
    job.save()
    return job


def remembered_mapping(organization: Organization, headers: list[str]) -> dict[str, str]:
    """Column index → field: what this organization chose for a header last time,
    else a guess from the header's name."""
    keys = [imports.normalize_header(h) for h in headers]
    known = dict(
        ImportMapping.objects.filter(organization=organization, header__in=keys).values_list(
            "header", "field"
        )
    )
    return {
        str(i): known.get(key) or imports.guess_field(header)
        for i, (key, header) in enumerate(zip(keys, headers, strict=True))
    }


def save_mapping(
    job: ImportJob,
    *,
    mapping: dict[str, str],
    consent_basis: str,
    consent_note: str,
    tag_names: list[str],
) -> None:
    job.mapping = {i: f for i, f in mapping.items() if f != "skip"}
    job.consent_basis = consent_basis
    job.consent_note = consent_note if consent_basis == ImportJob.ConsentBasis.EMAIL else ""
    job.tag_names = tag_names
    job.save(update_fields=["mapping", "consent_basis", "consent_note", "tag_names"])


def start_import(job: ImportJob, *, request: HttpRequest) -> bool:
    """Queue a mapped import for the worker and remember its mapping; False if it had
    already been started (a second click)."""
    from groundswell.people.imports import tasks

    with transaction.atomic():
        started = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.UPLOADED).update(
            status=ImportJob.Status.QUEUED
        )
        if not started:
            return False
        for index, header in enumerate(job.headers):
            key = imports.normalize_header(header)
            if key:
                ImportMapping.objects.update_or_create(
                    organization=job.organization,
                    header=key,
                    defaults={"field": job.mapping.get(str(index), "skip")},
                )
        audit.record(
            job.organization,
            AuditEvent.Action.IMPORTED,
            request=request,
            detail=job.original_name,
            records=job.rows_total,
        )
        tasks.run_import.enqueue(job.pk, 0)
    job.refresh_from_db()
    return True


def skip_for(job: ImportJob) -> imports.Skip:
    """For the preview: the rows the import would skip now, with the reason (the rule
    each batch applies when it is written, people.actions.suppression)."""

    def skip(rows: list[imports.Row]) -> dict[int, str]:
        return {n: skipped_reason(n) for n in skipped_rows(rows, job.organization)}

    return skip


def discard(job: ImportJob) -> None:
    """Forget an import that was never started, and its file."""
    if job.status == ImportJob.Status.UPLOADED:
        job.file.delete(save=False)
        job.delete()


# --- Stalled and failed imports --------------------------------------------------------


def is_stalled(job: ImportJob) -> bool:
    """True for a queued or running import whose task is gone: its worker was killed
    (a claimed task that never finished) or it failed."""
    from django_tasks_db.models import DBTaskResult

    if job.status not in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING):
        return False
    cutoff = timezone.now() - STALLED_AFTER
    live = DBTaskResult.objects.filter(task_path=TASK_PATH, status__in=["READY", "RUNNING"])
    for status, started_at, args_kwargs in live.values_list("status", "started_at", "args_kwargs"):
        if (args_kwargs.get("args") or [None])[0] != job.pk:
            continue
        if status == "READY" or (started_at is not None and started_at > cutoff):
            return False
    return True


def can_resume(job: ImportJob) -> bool:
    return bool(job.file) and (job.status == ImportJob.Status.FAILED or is_stalled(job))


def resume(job: ImportJob) -> bool:
    """Queue a stalled or failed import again from its last committed batch."""
    from groundswell.people.imports import tasks

    if not can_resume(job):
        return False
    with transaction.atomic():
        ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.QUEUED, message="")
        tasks.run_import.enqueue(job.pk, job.rows_done)
    return True


def resume_stalled() -> int:
    """Queue again every import whose worker died (for a periodic job); how many."""
    jobs = ImportJob.objects.filter(
        status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING]
    ).exclude(file="")
    return sum(1 for job in jobs if is_stalled(job) and resume(job))


# --- Running -----------------------------------------------------------------------------


def run_import(
    job_id: int, start: int, *, batches: int = BATCHES_PER_TASK, batch_size: int = BATCH_SIZE
) -> int | None:
    """Import up to `batches` batches from data row `start` (0-based, blank rows not
    counted). Returns where the next task should start, or None when there is nothing
    more for this run to do (finished, failed, or another run got there first)."""
    job = ImportJob.objects.select_related("organization", "created_by").filter(pk=job_id).first()
    if job is None or job.rows_done != start:
        return None
    if job.status not in (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING):
        return None
    if job.status == ImportJob.Status.QUEUED:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.RUNNING, started_at=job.started_at or timezone.now()
        )
    language = getattr(job.created_by, "language", "") or settings.LANGUAGE_CODE
    columns = imports.Columns.from_mapping(job.headers, job.mapping)
    with translation.override(language):
        try:
            with imports.open_rows(job.file.path, job.encoding, job.delimiter) as all_rows:
                rows = itertools.islice(all_rows, start, None)
                writer = BatchWriter(job)
                for _batch in range(batches):
                    batch = list(imports.clean_rows(itertools.islice(rows, batch_size), columns))
                    if not batch:
                        _finish(job.pk)
                        return None
                    if not writer.commit(batch, start):
                        return None
                    start += len(batch)
        except Exception as exc:
            logger.exception("Import %s failed at row %s", job_id, start)
            ImportJob.objects.filter(pk=job_id).update(
                status=ImportJob.Status.FAILED,
                # When it ended: its file and failed rows are pruned some days after.
                finished_at=timezone.now(),
                message=_("The import stopped after %(done)s rows (%(reason)s).")
                % {"done": start, "reason": type(exc).__name__},
            )
            raise
    return start


def _finish(job_id: int) -> None:
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        if job.status != ImportJob.Status.RUNNING:
            return
        job.status = ImportJob.Status.DONE
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "finished_at"])
    # The file held people's data; what failed is kept in ImportRowError for the fix.
    job.file.delete(save=True)
