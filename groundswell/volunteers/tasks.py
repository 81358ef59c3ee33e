"""Background work for volunteers: the confirmation email, the daily "still new"
reminders and pruning sign-ups nobody confirmed. Each is safe to run again."""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from groundswell.core import outbox
from groundswell.core.mail import build_message
from groundswell.organizations.senders import sender

logger = logging.getLogger(__name__)


def absolute(path: str) -> str:
    return f"{settings.BASE_URL}{path}"


@outbox.email("volunteers.confirmation")
def send_confirmation(signup_id: int) -> EmailMessage | None:
    """Email the link that confirms a volunteer sign-up."""
    from groundswell.volunteers.actions import confirmation_token
    from groundswell.volunteers.models import Signup

    signup = (
        Signup.objects.select_related("organization", "campaign")
        .filter(pk=signup_id, confirmed_at__isnull=True, erased_at__isnull=True)
        .first()
    )
    if signup is None or not signup.email:
        return None
    link = absolute(reverse("volunteers:confirm", args=[confirmation_token(signup)]))
    message = build_message(
        **sender(signup.organization, signup.language).headers(),
        to=signup.email,
        template="volunteers/email/confirm",
        context={
            "signup": signup,
            "organization": signup.organization,
            "campaign": signup.campaign,
            "link": link,
        },
        language=signup.language,
    )
    return message


# --- Reminders -----------------------------------------------------------------------------


def queue_reminders(now: datetime.datetime | None = None) -> int:
    """For each organization, tell whoever follows up (the assignee, else the
    organization's contact address) about volunteers still "new" after its reminder
    days; returns how many reminders were queued.

    At most one reminder per recipient and organization per day: the Reminder row is
    claimed first (unique on organization, recipient, day), so reruns and several
    workers queue nothing twice.
    """
    from groundswell.organizations.models import Organization
    from groundswell.volunteers.models import Reminder, Stage, Volunteer, VolunteerForm

    now = now or timezone.now()
    today = timezone.localdate(now)
    queued = 0
    organization_ids = (
        Volunteer.objects.filter(stage=Stage.NEW, erased_at__isnull=True)
        .values_list("organization_id", flat=True)
        .distinct()
    )
    for organization in Organization.objects.filter(pk__in=list(organization_ids)):
        days = VolunteerForm.for_organization(organization).reminder_days
        if not days:
            continue  # 0 turns reminders off
        overdue = Volunteer.objects.of(organization).overdue(days, now).select_related("assignee")
        recipients: dict[tuple[str, int | None], int] = defaultdict(int)
        for volunteer in overdue:
            if volunteer.assignee is not None and volunteer.assignee.email:
                recipients[(volunteer.assignee.email, volunteer.assignee_id)] += 1
            else:
                for address in organization.notice_recipients():
                    recipients[(address, None)] += 1
        for (address, assignee_id), count in recipients.items():
            try:
                with transaction.atomic():
                    reminder = Reminder.objects.create(
                        organization=organization,
                        recipient=address,
                        day=today,
                        assignee_id=assignee_id,
                        volunteer_count=count,
                    )
                    send_reminder.enqueue(reminder.pk, key=f"volunteers.reminder:{reminder.pk}")
            except IntegrityError:
                continue  # already reminded today
            queued += 1
    return queued


def _detail_path(org: str, pk: int) -> str:
    return reverse("volunteers_manage:detail", args=[org, pk])


def _reminder_sent(reminder_id: int) -> None:
    from groundswell.volunteers.models import Reminder

    Reminder.objects.filter(pk=reminder_id, sent_at__isnull=True).update(sent_at=timezone.now())


@outbox.email("volunteers.reminder", sent=_reminder_sent)
def send_reminder(reminder_id: int) -> EmailMessage | None:
    """One reminder: the volunteers still new when it goes out (none: nothing to say)."""
    from groundswell.volunteers.models import Reminder, Volunteer, VolunteerForm

    reminder = (
        Reminder.objects.select_related("organization", "assignee")
        .filter(pk=reminder_id, sent_at__isnull=True)
        .first()
    )
    if reminder is None:
        return None
    organization = reminder.organization
    if not organization.still_reaches(reminder.recipient, user_id=reminder.assignee_id):
        return None  # no longer on its staff (or its contact) since it was queued
    days = VolunteerForm.for_organization(organization).reminder_days
    overdue = Volunteer.objects.of(organization).overdue(days).order_by("stage_changed_at")
    if reminder.assignee_id is not None:
        overdue = overdue.filter(assignee_id=reminder.assignee_id)
    else:
        overdue = overdue.filter(Q(assignee__isnull=True) | Q(assignee__email=""))
    volunteers = list(overdue[:50])
    if not volunteers:
        return None  # followed up meanwhile
    pipeline = absolute(reverse("volunteers_manage:pipeline", args=[organization.slug]))
    return build_message(
        to=reminder.recipient,
        template="volunteers/email/reminder",
        context={
            "organization": organization,
            "volunteers": volunteers,
            "days": days,
            "pipeline": pipeline + "?stage=new",
            "items": [(v, absolute(_detail_path(organization.slug, v.pk))) for v in volunteers],
        },
        language=reminder.assignee.language if reminder.assignee else None,
    )


def prune_unconfirmed(now: datetime.datetime | None = None) -> int:
    """Delete sign-ups nobody confirmed once their link has expired: what a stranger
    typed in is not kept. Returns how many."""
    from groundswell.volunteers.models import Signup

    before = (now or timezone.now()) - datetime.timedelta(days=settings.VERIFICATION_MAX_AGE_DAYS)
    deleted, _ = Signup.objects.filter(confirmed_at__isnull=True, created_at__lt=before).delete()
    return deleted
