"""The events' emails, sent through the outbox (groundswell.core.outbox): notices to
people who RSVPed (with a calendar file), reminders before each shift, and the notices
of volunteer-hosted proposals.

Each is built when its turn comes and sent only if it still says something true; each
reminder is queued once (marked on its RSVP row in the same transaction).
"""

from __future__ import annotations

import datetime
import logging
from email.mime.text import MIMEText

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from groundswell.core import outbox
from groundswell.core.mail import build_message
from groundswell.events import ics
from groundswell.events.models import RSVP, Event
from groundswell.events.tokens import cancel_token, confirm_token
from groundswell.organizations.senders import sender

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
        **sender(event.owner, rsvp.language).headers(),
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


@outbox.email("events.rsvp_notice")
def send_rsvp_notice(rsvp_id: int, kind: str) -> EmailMessage | None:
    """Email one RSVP's notice: confirmed, waitlisted, promoted, changed, cancelled,
    or a reminder."""
    rsvp = RSVP.objects.select_related("event", "event__owner", "shift").filter(pk=rsvp_id).first()
    if rsvp is None or not _current(rsvp, kind):
        return None
    return rsvp_message(rsvp, kind)


def queue_due_reminders(*, now: datetime.datetime | None = None) -> int:
    """Queue the reminders that are due: a day before and two hours before each shift,
    to everyone with a seat who RSVPed before that moment. Each RSVP is marked reminded
    in the transaction that queues its email (claimed FOR UPDATE SKIP LOCKED, so several
    workers share the work), so none is queued twice. Returns how many were queued."""
    now = now or timezone.now()
    queued = 0
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
            with transaction.atomic():
                batch = list(
                    due.select_for_update(skip_locked=True, of=("self",))
                    .order_by("pk")
                    .values_list("pk", flat=True)[:REMINDER_BATCH]
                )
                if not batch:
                    break
                for pk in batch:
                    send_rsvp_notice.enqueue(pk, kind, key=f"events.reminder:{pk}:{kind}")
                RSVP.objects.filter(pk__in=batch).update(**{field: now})
            queued += len(batch)
            if len(batch) < REMINDER_BATCH:
                break
    return queued


def queue_proposal_notice(event: Event) -> None:
    """Tell the owner organization's contacts a supporter proposed an event for its
    approval (one email each, in the caller's transaction)."""
    for to in event.owner.notice_recipients():
        send_proposal_notice.enqueue(event.pk, to, key=f"events.proposal:{event.pk}:{to}")


@outbox.email("events.proposal_notice")
def send_proposal_notice(event_id: int, to: str) -> EmailMessage | None:
    """The notice to one contact, while the proposal still waits."""
    event = Event.objects.select_related("owner", "campaign").filter(pk=event_id).first()
    if event is None or event.approval != Event.Approval.PENDING:
        return None
    if to not in event.owner.notice_recipients():
        return None
    review = absolute(reverse("events_manage:detail", args=[event.owner.slug, event.pk]))
    return build_message(
        to=to, template="events/email/proposal", context={"event": event, "review": review}
    )


@outbox.email("events.proposal_decision")
def send_proposal_decision(event_id: int) -> EmailMessage | None:
    """Tell the supporter who proposed an event whether it was approved."""
    event = Event.objects.select_related("owner", "proposed_by").filter(pk=event_id).first()
    if event is None or not event.proposer_email or event.approval == Event.Approval.PENDING:
        return None
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
    return message
