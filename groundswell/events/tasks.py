"""Background work for events: the emails to people who RSVPed (with a calendar file),
reminders before each shift, and the notices of volunteer-hosted proposals.

Each task is safe to run again; each reminder is sent once (claimed on its RSVP row).
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from groundswell.core.mail import build_message, deliver, send_messages
from groundswell.events import ics
from groundswell.events.models import RSVP, Event
from groundswell.events.tokens import cancel_token, confirm_token

logger = logging.getLogger(__name__)

CONFIRMED = "confirmed"
WAITLISTED = "waitlisted"
PROMOTED = "promoted"
CHANGED = "changed"
EVENT_CANCELLED = "event_cancelled"
REMINDER_DAY = "reminder_day"
REMINDER_SOON = "reminder_soon"

# How long before a shift each reminder goes out.
REMINDERS = {
    REMINDER_DAY: (datetime.timedelta(hours=24), "reminded_day_at"),
    REMINDER_SOON: (datetime.timedelta(hours=2), "reminded_soon_at"),
}
REMINDER_BATCH = 100


def absolute(path: str) -> str:
    return f"{settings.BASE_URL}{path}"


def calendar_part(rsvp: RSVP) -> MIMEText:
    """The .ics attachment; base64, so its CRLF line endings reach the reader intact."""
    text = ics.calendar(rsvp.shift, include_link=rsvp.status == RSVP.Status.CONFIRMED)
    part = MIMEText(text, "calendar", "utf-8")
    part.set_param("method", "PUBLISH")
    part.add_header("Content-Disposition", "attachment", filename=ics.filename(rsvp.event))
    return part


def rsvp_message(rsvp: RSVP, kind: str) -> EmailMultiAlternatives:
    """The email telling someone about their RSVP: what happened (`kind`), when and
    where, and how to cancel. A seat (or a cancelled event) comes with a calendar file."""
    event = rsvp.event
    seated = rsvp.status == RSVP.Status.CONFIRMED
    # The organizations ticked on the form hear from the person only once they confirm
    # the address with this link (events.actions.confirm_email).
    confirm_url = ""
    if kind in (CONFIRMED, WAITLISTED) and rsvp.consents and rsvp.email_confirmed_at is None:
        confirm_url = absolute(reverse("events:confirm", args=[confirm_token(rsvp)]))
    message = build_message(
        to=rsvp.email,
        template="events/email/notice",
        context={
            "kind": kind,
            "rsvp": rsvp,
            "event": event,
            "shift": rsvp.shift,
            "seated": seated,
            "online_url": event.online_url if seated and event.is_online else "",
            "page": absolute(event.get_absolute_url()),
            "cancel_url": absolute(reverse("events:cancel", args=[cancel_token(rsvp)])),
            "confirm_url": confirm_url,
            "time_zone": event.time_zone,
        },
        language=rsvp.language,
    )
    if seated or kind == EVENT_CANCELLED:
        message.attach(calendar_part(rsvp))
    return message


def _current(rsvp: RSVP, kind: str) -> bool:
    """Whether the notice still says something true when it is sent."""
    if rsvp.anonymized_at or not rsvp.email:
        return False
    if kind == EVENT_CANCELLED:
        return rsvp.is_active
    if rsvp.event.is_cancelled or not rsvp.is_active:
        return False
    if kind in (CONFIRMED, PROMOTED):
        return rsvp.status == RSVP.Status.CONFIRMED
    if kind == WAITLISTED:
        return rsvp.status == RSVP.Status.WAITLISTED
    return True


@task()
def send_rsvp_notice(rsvp_id: int, kind: str, attempt: int = 0) -> None:
    """Email one RSVP's notice: confirmed, waitlisted, promoted, changed, cancelled."""
    rsvp = RSVP.objects.select_related("event", "event__owner", "shift").filter(pk=rsvp_id).first()
    if rsvp is None or not _current(rsvp, kind):
        return
    message = rsvp_message(rsvp, kind)
    deliver([message], task=send_rsvp_notice, args=(rsvp_id, kind), attempt=attempt)


def send_due_reminders(*, now: datetime.datetime | None = None) -> int:
    """Send the reminders that are due: a day before and two hours before each shift,
    to everyone with a seat who RSVPed before that moment. Each is claimed on its row
    (FOR UPDATE SKIP LOCKED, then marked sent in the same transaction), so several
    workers share the work and none is sent twice; if the mail server fails the batch
    rolls back and goes out on a later run, while still due. Returns how many."""
    now = now or timezone.now()
    sent = 0
    for kind, (lead, field) in REMINDERS.items():
        due = RSVP.objects.filter(
            status=RSVP.Status.CONFIRMED,
            event__status=Event.Status.SCHEDULED,
            anonymized_at__isnull=True,
            shift__starts_at__gt=now,
            shift__starts_at__lte=now + lead,
            created_at__lte=F("shift__starts_at") - lead,
            **{f"{field}__isnull": True},
        ).exclude(email="")
        if kind == REMINDER_DAY:  # within two hours, the later reminder says it all
            due = due.filter(shift__starts_at__gt=now + REMINDERS[REMINDER_SOON][0])
        while True:
            try:
                with transaction.atomic():
                    batch = list(
                        due.select_for_update(skip_locked=True, of=("self",))
                        .select_related("event", "event__owner", "shift")
                        .order_by("pk")[:REMINDER_BATCH]
                    )
                    if not batch:
                        break
                    send_messages(rsvp_message(rsvp, kind) for rsvp in batch)
                    RSVP.objects.filter(pk__in=[r.pk for r in batch]).update(**{field: now})
            except (smtplib.SMTPException, OSError) as exc:
                logger.warning("Event reminders not sent (%s); trying again later", exc)
                return sent
            sent += len(batch)
            if len(batch) < REMINDER_BATCH:
                break
    return sent


@task()
def send_proposal_notice(event_id: int, attempt: int = 0) -> None:
    """Tell the owner organization a supporter proposed an event for its approval."""
    event = Event.objects.select_related("owner", "campaign").filter(pk=event_id).first()
    if event is None or event.approval != Event.Approval.PENDING:
        return
    review = absolute(reverse("events_manage:detail", args=[event.owner.slug, event.pk]))
    messages = [
        build_message(
            to=recipient,
            template="events/email/proposal",
            context={"event": event, "review": review},
        )
        for recipient in event.owner.notice_recipients()
    ]
    deliver(messages, task=send_proposal_notice, args=(event_id,), attempt=attempt)


@task()
def send_proposal_decision(event_id: int, attempt: int = 0) -> None:
    """Tell the supporter who proposed an event whether it was approved."""
    event = Event.objects.select_related("owner", "proposed_by").filter(pk=event_id).first()
    if event is None or not event.proposer_email or event.approval == Event.Approval.PENDING:
        return
    language = event.proposed_by.language if event.proposed_by else None
    message = build_message(
        to=event.proposer_email,
        template="events/email/proposal_decision",
        context={
            "event": event,
            "approved": event.approval == Event.Approval.APPROVED,
            "page": absolute(event.get_absolute_url()),
        },
        language=language,
    )
    deliver([message], task=send_proposal_decision, args=(event_id,), attempt=attempt)
