"""Texts' part in a person's record (people.registry).

A text that went out to a person shows on their timeline, to the organization that
sent it only, while they are one of its supporters; their copy of their data lists the
texts they were sent, with the number each went to. Erased everywhere, their rows go
(the person's own rows also go with them); erased from one organization, that
organization's rows go: the number stays nowhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from groundswell.organizations.models import Organization
from groundswell.people.models import Person, Supporter
from groundswell.people.registry import Entry
from groundswell.texts.models import Recipient, RecipientState


class TextRecords:
    name = "texts"

    def timeline(self, person: Person, organization: Organization) -> Iterable[Entry]:
        if not Supporter.objects.filter(person=person, organization=organization).exists():
            return
        rows = Recipient.objects.filter(
            person=person,
            blast__organization=organization,
            state=RecipientState.SENT,
            sent_at__isnull=False,
        ).select_related("blast")
        for row in rows:
            assert row.sent_at is not None
            yield Entry(
                at=row.sent_at,
                kind="text_sent",
                label=_("Text message sent"),
                summary=row.blast.body[:300],
                source=f"texts:{row.blast_id}",
                url=reverse("texts_manage:detail", args=[organization.slug, row.blast_id]),
            )

    def export(self, person: Person) -> dict[str, Any]:
        rows = Recipient.objects.filter(person=person, state=RecipientState.SENT)
        return {
            "items": [
                {
                    "organization": row.blast.organization.name,
                    "text": row.blast.body,
                    "number": row.number,
                    "sent_at": row.sent_at.isoformat() if row.sent_at else None,
                }
                for row in rows.select_related("blast__organization")
            ]
        }

    def erase(self, person: Person) -> int:
        return Recipient.objects.filter(person=person).delete()[0]

    def forget(self, person: Person, organization: Organization) -> int:
        return Recipient.objects.filter(person=person, blast__organization=organization).delete()[0]

    def actions(self, organization: Organization) -> list[tuple[str, str]]:
        return []

    def people_who(self, key: str, organization: Organization) -> QuerySet[Any]:
        return Recipient.objects.none().values("person_id")
