"""Every change to outreach actions, supporters' messages to offices and their calls
goes through these functions."""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from groundswell.core import ratelimit, tokens
from groundswell.core.models import OutboundEmail
from groundswell.core.tokens import LinkOutcome
from groundswell.outreach import emails
from groundswell.outreach.models import (
    Call,
    MessageState,
    OfficeMessage,
    OfficeQueue,
    OutreachAction,
)
from groundswell.people import actions as people_actions
from groundswell.people.addresses import normalize_email

if TYPE_CHECKING:
    from groundswell.accounts.models import User
    from groundswell.organizations.models import Organization
    from groundswell.outreach.targets import Target

CONFIRM_SALT = "groundswell.outreach.message"


# --- Actions -------------------------------------------------------------------------------


def create_action(*, owner: Organization, created_by: User | None, **fields: Any) -> OutreachAction:
    """Create an action (unpublished unless `published` says otherwise)."""
    return OutreachAction.objects.create(owner=owner, created_by=created_by, **fields)


def update_action(action: OutreachAction, **fields: Any) -> OutreachAction:
    """Save an organizer's edits; only the given fields are written."""
    for name, value in fields.items():
        setattr(action, name, value)
    action.save(update_fields=[*fields, "updated_at"])
    return action


# --- Messages ------------------------------------------------------------------------------


class SendOutcome(enum.Enum):
    RECEIVED = "received"  # stored, the confirmation email queued
    # The address had its OUTREACH_RATE_ADDRESS confirmation emails: nothing stored or
    # sent; the sender is told the same as for RECEIVED (the form tells nobody whether
    # an address was used before).
    NOT_SENT = "not_sent"


@dataclass(frozen=True)
class SendResult:
    outcome: SendOutcome
    message: OfficeMessage | None = None


def record_message(
    action: OutreachAction,
    target: Target,
    *,
    name: str,
    email: str,
    subject: str,
    body: str,
    consent: bool = False,
    language: str = "en",
    ip_address: str | None = None,
) -> SendResult:
    """Store a supporter's message to an office, unsent, and queue the email that asks
    them to confirm their address. Nothing goes to the office before they do."""
    normalized = normalize_email(email)
    if not ratelimit.hit("outreach_by_address", tokens.fingerprint(normalized)).allowed:
        return SendResult(SendOutcome.NOT_SENT)
    with transaction.atomic():
        message = OfficeMessage.objects.create(
            action=action,
            office=target.office,
            decision_maker=target.holder,
            recipient=target.email,
            name=" ".join(name.split()),
            email=email.strip(),
            email_normalized=normalized,
            subject=" ".join(subject.split()),
            body=body.strip(),
            consent=consent,
            language=language,
            ip_address=ip_address,
        )
        emails.send_confirmation.enqueue(message.pk, key=f"outreach.confirmation:{message.pk}")
    return SendResult(SendOutcome.RECEIVED, message)


CONFIRM_LINK = tokens.ConfirmationLink[OfficeMessage](
    salt=CONFIRM_SALT,
    id_key="m",
    find=lambda pk: (
        OfficeMessage.objects.select_related("action", "action__owner", "office", "decision_maker")
        .filter(pk=pk)
        .exclude(state=MessageState.ERASED)
        .first()
    ),
    confirmed=lambda message: message.state != MessageState.PENDING,
)


def confirmation_token(message: OfficeMessage) -> str:
    """A signed, expiring token; checking it needs no lookup table."""
    return CONFIRM_LINK.token(message)


@dataclass(frozen=True)
class ConfirmResult:
    outcome: LinkOutcome
    message: OfficeMessage | None = None


def check_confirmation(token: str) -> ConfirmResult:
    """What confirming with this link would do, changing nothing (the confirm page)."""
    return ConfirmResult(*CONFIRM_LINK.check(token))


def confirm_message(token: str) -> ConfirmResult:
    """Confirm a message from its emailed link: it takes its turn in the office's queue
    (see take_turn) and the email to the office is queued for then.

    The sender becomes known to the action's organization (their email address only if
    they agreed to hear from it), and their consent is recorded, as a signer's is.
    """
    with transaction.atomic():
        result = check_confirmation(token)
        if result.outcome != LinkOutcome.PENDING or result.message is None:
            return result
        message = OfficeMessage.objects.select_for_update().get(pk=result.message.pk)
        message.action = result.message.action
        message.office = result.message.office
        if message.state != MessageState.PENDING:
            return ConfirmResult(LinkOutcome.ALREADY_CONFIRMED, message)
        first_name, _, last_name = message.name.partition(" ")
        person = people_actions.record_person(
            email=message.email,
            first_name=first_name,
            last_name=last_name,
            language=message.language,
        )
        owner = message.action.owner
        source = f"outreach:{message.action.slug}"
        contact = {"email": message.email} if message.consent else {}
        people_actions.link(
            person, owner, source=source, first_name=first_name, last_name=last_name, **contact
        )
        if message.consent:
            people_actions.grant_consent(person, owner, source=source, given_at=message.created_at)
        message.state = MessageState.CONFIRMED
        message.confirmed_at = timezone.now()
        message.due_at = take_turn(message.office_id, message.confirmed_at)
        message.person = person
        message.save(update_fields=["state", "confirmed_at", "due_at", "person"])
        emails.send_to_office.enqueue(
            message.pk, key=f"outreach.office:{message.pk}", due_at=message.due_at
        )
    return ConfirmResult(LinkOutcome.CONFIRMED, message)


def take_turn(office_id: int, now: datetime.datetime) -> datetime.datetime:
    """When the next message to this office may go: now, while the office's current
    window (OUTREACH_OFFICE_RATE: count per seconds) has room, else the start of the
    first window after those already given out. Never refused, never dropped: a surge
    is spread over the hours that follow. In the caller's transaction."""
    count, seconds = settings.OUTREACH_OFFICE_RATE
    length = datetime.timedelta(seconds=seconds)
    epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
    current = epoch + length * ((now - epoch) // length)
    OfficeQueue.objects.get_or_create(office_id=office_id, defaults={"window_start": current})
    queue = OfficeQueue.objects.select_for_update().get(office_id=office_id)
    if queue.window_start < current:
        queue.window_start, queue.taken = current, 0
    if queue.taken >= count:
        queue.window_start, queue.taken = queue.window_start + length, 0
    queue.taken += 1
    queue.save(update_fields=["window_start", "taken"])
    return max(now, queue.window_start)


def mark_sent(message_id: int) -> int:
    """The office's email went out (the outbox's hook, in the transaction that marks
    its row sent): the message counts as sent, and the sender's copy is queued once."""
    updated = OfficeMessage.objects.filter(pk=message_id, state=MessageState.CONFIRMED).update(
        state=MessageState.SENT, sent_at=timezone.now()
    )
    if updated:
        emails.send_copy.enqueue(message_id, key=f"outreach.copy:{message_id}")
    return updated


SETTLE_AFTER = datetime.timedelta(minutes=10)  # a message due this long ago has had its try
SETTLE_BATCH = 1000


def settle_sent() -> int:
    """Mark sent the messages whose email the outbox counts as sent without having run
    its hook: a worker killed after the mail server had the whole message (the outbox
    then counts it as sent, core.outbox.take_back). Their senders' copies are queued
    then, once. A periodic job; returns how many it settled."""
    due = timezone.now() - SETTLE_AFTER
    waiting = OfficeMessage.objects.filter(state=MessageState.CONFIRMED, due_at__lt=due)
    keys = {
        f"outreach.office:{pk}": pk for pk in waiting.values_list("pk", flat=True)[:SETTLE_BATCH]
    }
    sent = OutboundEmail.objects.filter(key__in=list(keys), state=OutboundEmail.State.SENT)
    settled = 0
    for key in sent.values_list("key", flat=True):
        with transaction.atomic():
            settled += mark_sent(keys[key])
    return settled


def erase_messages(messages: Any) -> int:
    """Remove the senders' personal details from these messages (an erasure request);
    a message not yet sent is never sent. What stays counts: which office, when."""
    return int(
        messages.exclude(state=MessageState.ERASED).update(
            state=MessageState.ERASED,
            name="",
            email="erased@invalid",
            email_normalized="",
            subject="",
            body="",
            consent=False,
            person=None,
            ip_address=None,
        )
    )


# --- Calls ---------------------------------------------------------------------------------


def record_call(action: OutreachAction, target: Target, *, outcome: str) -> Call:
    """A supporter says they called the office, and how it went."""
    return Call.objects.create(action=action, office=target.office, outcome=outcome)
