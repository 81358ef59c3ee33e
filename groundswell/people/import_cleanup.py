"""What imports leave behind that holds supporters' data: the failed rows (kept so the
organizer can fix them) and files of imports never started. Both are pruned after
IMPORT_RETENTION_DAYS, and an erased person's failed rows go at once."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.utils import timezone

from groundswell.people.emails import normalize_email
from groundswell.people.models import ImportJob, ImportRowError, Person
from groundswell.people.phones import normalize_phone

logger = logging.getLogger(__name__)


def forget_rows(person: Person) -> int:
    """Delete failed import rows that carry one of the person's emails or phone numbers
    (for erasure); returns how many."""
    emails = {person.email_normalized, *person.other_emails.values_list("normalized", flat=True)}
    emails.discard(None)
    phones = set(person.phones.values_list("number", flat=True))
    doomed = []
    jobs = ImportJob.objects.filter(errors__isnull=False).distinct()
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
    """Delete failed rows of imports finished more than IMPORT_RETENTION_DAYS ago, and
    imports uploaded but never started as long ago (with their files). Returns how many
    rows and jobs went."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.IMPORT_RETENTION_DAYS)
    rows, _ = ImportRowError.objects.filter(
        job__finished_at__isnull=False, job__finished_at__lt=cutoff
    ).delete()
    abandoned = ImportJob.objects.filter(status=ImportJob.Status.UPLOADED, created_at__lt=cutoff)
    jobs = 0
    for job in abandoned:
        job.file.delete(save=False)
        job.delete()
        jobs += 1
    if rows or jobs:
        logger.info("Pruned %s failed import rows and %s abandoned uploads", rows, jobs)
    return rows + jobs
