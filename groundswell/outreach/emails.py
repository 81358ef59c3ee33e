"""Outreach's emails, sent through the outbox: the link a supporter confirms their
address with, their message to the office (Reply-To them), and their copy of it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse

from groundswell.core import outbox
from groundswell.core.mail import build_message
from groundswell.organizations.senders import sender

if TYPE_CHECKING:
    from groundswell.outreach.models import OfficeMessage


def absolute(path: str) -> str:
    return f"{settings.BASE_URL}{path}"


def _message(message_id: int, state: str) -> OfficeMessage | None:
    from groundswell.outreach.models import OfficeMessage

    return (
        OfficeMessage.objects.select_related("action", "action__owner", "office", "decision_maker")
        .filter(pk=message_id, state=state)
        .first()
    )


@outbox.email("outreach.confirmation")
def send_confirmation(message_id: int) -> EmailMessage | None:
    """Ask the sender to confirm that they wrote this message (while it waits)."""
    from groundswell.outreach.actions import confirmation_token
    from groundswell.outreach.models import MessageState

    message = _message(message_id, MessageState.PENDING)
    if message is None:
        return None
    link = absolute(
        reverse("outreach:confirm", args=[message.action.slug, confirmation_token(message)])
    )
    return build_message(
        **sender(message.action.owner, message.language).headers(),
        to=message.email,
        template="outreach/email/confirm",
        context={"message": message, "action": message.action, "link": link},
        language=message.language,
    )


def _office_sent(message_id: int) -> None:
    from groundswell.outreach.actions import mark_sent

    mark_sent(message_id)  # and outreach.actions.settle_sent when a worker died before this


@outbox.email("outreach.office", sent=_office_sent)
def send_to_office(message_id: int) -> EmailMessage | None:
    """The supporter's message to the office, replies going to the supporter. Built
    when its turn comes: a message erased meanwhile is not sent."""
    from groundswell.outreach.models import MessageState

    message = _message(message_id, MessageState.CONFIRMED)
    if message is None:
        return None
    return build_message(
        to=message.recipient,
        template="outreach/email/office",
        context={"message": message, "action": message.action, "ward": message.office.district},
        language=settings.LANGUAGE_CODE,
        reply_to=message.email,
    )


@outbox.email("outreach.copy")
def send_copy(message_id: int) -> EmailMessage | None:
    """The sender's copy of what went to the office."""
    from groundswell.outreach.models import MessageState

    message = _message(message_id, MessageState.SENT)
    if message is None:
        return None
    return build_message(
        **sender(message.action.owner, message.language).headers(),
        to=message.email,
        template="outreach/email/copy",
        context={"message": message, "action": message.action},
        language=message.language,
    )
