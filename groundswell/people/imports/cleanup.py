"""What imports leave behind that holds supporters' data: the failed rows (kept so the
organizer can fix them), the files of failed imports (kept so they can be resumed) and
of imports never started. All are pruned IMPORT_RETENTION_DAYS after the import ended
(or was uploaded), and an erased person's failed rows go at once."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db.models.functions import Coalesce
from django.utils import timezone

from groundswell.organizations.models import Organization
from groundswell.people.addresses import normalize_email
from groundswell.people.models import ImportJob, ImportRowError, Person
from groundswell.people.phones import normalize_phone

logger = logging.getLogger(__name__)


def forget_rows(person: Person, *, organization: Organization | None = None) -> int:
    """Delete failed import rows that carry one of the person's emails or phone numbers
    (for erasure), of one organization's imports or of all; returns how many."""
    emails = {person.email_normalized, *person.other_emails.values_list("normalized", flat=True)}
    emails.discard(None)
    phones = set(person.phones.values_list("number", flat=True))
    doomed = []
    jobs = ImportJob.objects.filter(errors__isnull=False).distinct()
    if organization is not None:
        jobs = jobs.filter(organization=organization)
    for job in jobs.only("pk", "mapping"):
        email_columns = [int(i) for i, f in job.mapping.items() if f == "email"]
        phone_columns = [int(i) for i, f in job.mapping.items() if f == "phone"]
        for pk, values in job.errors.values_list("pk", "values"):
            cells = [values[i] for i in email_columns if i < len(values)]
            if any(cell and normalize_email(str(cell)) in emails for cell in cells):
                doomed.append(pk)
                continue
            cells = [values[i] for i in phone_columns if i < len(values)]
            if any(cell and normalize_phone(str(cell)) in phones for cell in cells):
                doomed.append(pk)
    deleted, _ = ImportRowError.objects.filter(pk__in=doomed).delete()
    return deleted


def prune(now: datetime.datetime | None = None) -> int:
    """Delete what imports that ended more than IMPORT_RETENTION_DAYS ago left behind:
    failed rows of finished and failed imports, failed imports' files (they can no
    longer be resumed), and imports uploaded but never started (with their files).
    Returns how many rows, files and jobs went."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.IMPORT_RETENTION_DAYS)
    # A failed import from before failures set finished_at counts from when it started.
    old_jobs = ImportJob.objects.annotate(
        ended_at=Coalesce("finished_at", "started_at", "created_at")
    ).filter(status__in=[ImportJob.Status.DONE, ImportJob.Status.FAILED], ended_at__lt=cutoff)
    rows, _ = ImportRowError.objects.filter(job__in=old_jobs.values("pk")).delete()
    files = 0
    for failed in old_jobs.filter(status=ImportJob.Status.FAILED).exclude(file=""):
        failed.file.delete(save=False)
        ImportJob.objects.filter(pk=failed.pk).update(file="")  # it can no longer resume
        files += 1
    abandoned = ImportJob.objects.filter(status=ImportJob.Status.UPLOADED, created_at__lt=cutoff)
    jobs = 0
    for job in abandoned:
        job.file.delete(save=False)
        job.delete()
        jobs += 1
    if rows or files or jobs:
        logger.info(
            "Pruned %s failed import rows, %s failed imports' files and %s abandoned uploads",
            rows,
            files,
            jobs,
        )
    return rows + files + jobs
