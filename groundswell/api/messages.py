"""Messages: the organization's mailings, read-only (OSDI `osdi:messages`, in Action
Network's shape), with their figures. Writing and sending stay in the organizer area
(mailings.actions), where approval and the recipient count are shown."""

from __future__ import annotations

from groundswell.api import filters
from groundswell.api.hal import collection, date, identifiers
from groundswell.api.http import Api, Body, not_found, object_id
from groundswell.mailings import figures
from groundswell.mailings.models import Mailing, MailingState
from groundswell.organizations.senders import sender

FIELDS = {
    "created_date": filters.date_field("created_at"),
    "modified_date": filters.date_field("updated_at"),
    "identifiers": filters.identifier_field(),
}

# Action Network's words for a message's status.
STATUS = {
    MailingState.DRAFT: "draft",
    MailingState.AWAITING_APPROVAL: "draft",
    MailingState.SCHEDULED: "scheduled",
    MailingState.SENDING: "sending",
    MailingState.PAUSED: "sending",
    MailingState.SENT: "sent",
    MailingState.CANCELLED: "cancelled",
}


def represent_message(api: Api, mailing: Mailing) -> Body:
    shown = figures.of(mailing)
    from_ = sender(mailing.organization)
    return {
        "identifiers": identifiers(mailing.pk),
        "created_date": date(mailing.created_at),
        "modified_date": date(mailing.updated_at),
        "subject": mailing.subject,
        "body": mailing.body,
        "from": from_.from_email,
        "reply_to": from_.reply_to or "",
        "status": STATUS.get(MailingState(mailing.state), "draft"),
        "sent_start_date": date(mailing.started_at) if mailing.started_at else None,
        "total_targeted": shown.recipients,
        "statistics": {
            "sent": shown.sent,
            "bounced": shown.bounced,
            "unsubscribed": shown.unsubscribed,
            "spam_reports": shown.complaints,
        },
        "_links": {"self": {"href": api.href("messages", mailing.pk)}},
    }


def list_messages(api: Api) -> tuple[int, Body]:
    mailings = Mailing.objects.owned_by(api.organization).select_related("organization")
    return 200, collection(
        api,
        mailings,
        kind="messages",
        path=["messages"],
        represent=represent_message,
        fields=FIELDS,
    )


def get_message(api: Api, pk: str) -> tuple[int, Body]:
    mailing = (
        Mailing.objects.owned_by(api.organization)
        .select_related("organization")
        .filter(pk=object_id(pk, "message"))
        .first()
    )
    if mailing is None:
        raise not_found("message")
    return 200, represent_message(api, mailing)
