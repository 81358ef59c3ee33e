"""Outreach's part in the people app's record of a supporter (people.registry).

A confirmed message makes its sender known to the action's organization (their email
address only with their consent); it shows on their timeline, is in their copy of their
data, and loses its personal details when they ask to be erased (a message not sent
yet is then never sent). Calls hold no personal data.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from groundswell.organizations.models import Organization
from groundswell.outreach.actions import erase_messages
from groundswell.outreach.models import MessageState, OfficeMessage, OutreachAction
from groundswell.people.models import Person
from groundswell.people.registry import Entry

ACTION_PREFIX = "outreach:"


def _messages_of(person: Person) -> QuerySet[OfficeMessage]:
    emails = [person.email_normalized, *person.other_emails.values_list("normalized", flat=True)]
    return OfficeMessage.objects.filter(
        Q(person=person) | Q(email_normalized__in=[e for e in emails if e])
    ).exclude(state=MessageState.ERASED)


class OutreachRecords:
    name = "outreach"

    def timeline(self, person: Person, organization: Organization) -> Iterable[Entry]:
        messages = OfficeMessage.objects.filter(
            person=person, action__owner=organization, confirmed_at__isnull=False
        ).select_related("action", "office")
        for message in messages:
            assert message.confirmed_at is not None
            yield Entry(
                at=message.confirmed_at,
                kind="office_message",
                label=_("Wrote to an office"),
                summary=f"{message.action.title} ({message.office.title()})",
                source=f"{ACTION_PREFIX}{message.action.slug}",
                url=reverse(
                    "outreach_manage:results", args=[organization.slug, message.action.slug]
                ),
            )

    def export(self, person: Person) -> dict[str, Any]:
        return {
            "items": [
                {
                    "action": m.action.title,
                    "office": m.office.title(),
                    "name": m.name,
                    "email": m.email,
                    "subject": m.subject,
                    "message": m.body,
                    "state": m.state,
                    "written_at": m.created_at.isoformat(),
                    "confirmed_at": m.confirmed_at.isoformat() if m.confirmed_at else None,
                    "sent_at": m.sent_at.isoformat() if m.sent_at else None,
                    "ip_address": m.ip_address,
                }
                for m in _messages_of(person).select_related("action", "office")
            ]
        }

    def erase(self, person: Person) -> int:
        return erase_messages(_messages_of(person))

    def forget(self, person: Person, organization: Organization) -> int:
        return erase_messages(_messages_of(person).filter(action__owner=organization))

    def actions(self, organization: Organization) -> list[tuple[str, str]]:
        """ "Wrote to an office: <title>" for each action the organization owns."""
        owned = OutreachAction.objects.filter(owner=organization).values_list("pk", "title")
        return [
            (f"{ACTION_PREFIX}{pk}", _("Wrote to an office: %(title)s") % {"title": title})
            for pk, title in owned
        ]

    def people_who(self, key: str, organization: Organization) -> QuerySet[Any]:
        """Ids of the people who confirmed a message on the action `key` names, if the
        organization owns it; no one otherwise."""
        messages = OfficeMessage.objects.filter(person__isnull=False, confirmed_at__isnull=False)
        number = key.removeprefix(ACTION_PREFIX)
        if not key.startswith(ACTION_PREFIX) or not number.isdigit():
            return messages.none().values("person_id")
        return messages.filter(action_id=int(number), action__owner=organization).values(
            "person_id"
        )
