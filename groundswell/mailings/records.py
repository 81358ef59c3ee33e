"""Mailings' part in the people app's record of a person (people.registry).

A mailing sent shows on the person's timeline as a stored entry (Activity "Email
sent", written by mailings.sending.record_sent), so the timeline asks nothing here.
The person's copy of their data lists the mailings they received and whether their
address was found undeliverable; erasure removes their recipient rows (the mailing's
totals lose them, as they should), and an organization forgetting them removes its own.
Organizers may pick the people who received one of their mailings ("Received: …") to
include or leave out of a search or another mailing.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from groundswell.mailings.models import MailingState, Recipient, RecipientState, Undeliverable
from groundswell.organizations.models import Organization
from groundswell.people.models import Person
from groundswell.people.registry import Entry

ACTION_PREFIX = "mailing:"


class MailingRecords:
    name = "mailings"

    def timeline(self, person: Person, organization: Organization) -> Iterable[Entry]:
        return []

    def export(self, person: Person) -> dict[str, Any]:
        received = Recipient.objects.filter(person=person, state=RecipientState.SENT)
        undeliverable = Undeliverable.objects.filter(person=person).first()
        return {
            "mailings_received": [
                {
                    "organization": row.mailing.organization.name,
                    "subject": row.mailing.subject,
                    "sent_at": row.sent_at.isoformat() if row.sent_at else None,
                }
                for row in received.select_related("mailing__organization")
            ],
            "email_undeliverable": (
                str(undeliverable.get_reason_display()) if undeliverable else None
            ),
        }

    def erase(self, person: Person) -> int:
        deleted, _ = Recipient.objects.filter(person=person).delete()
        gone, _ = Undeliverable.objects.filter(person=person).delete()
        return deleted + gone

    def forget(self, person: Person, organization: Organization) -> int:
        deleted, _ = Recipient.objects.filter(
            person=person, mailing__organization=organization
        ).delete()
        return deleted

    def actions(self, organization: Organization) -> list[tuple[str, str]]:
        from groundswell.mailings.models import Mailing

        sent = Mailing.objects.owned_by(organization).filter(
            state__in=[MailingState.SENT, MailingState.SENDING, MailingState.PAUSED]
        )
        return [
            (f"{ACTION_PREFIX}{pk}", _("Received: %(subject)s") % {"subject": subject})
            for pk, subject in sent.values_list("pk", "subject")
        ]

    def people_who(self, key: str, organization: Organization) -> QuerySet[Any]:
        rows = Recipient.objects.filter(state=RecipientState.SENT)
        number = key.removeprefix(ACTION_PREFIX)
        if not key.startswith(ACTION_PREFIX) or not number.isdigit():
            return rows.none().values("person_id")
        return rows.filter(mailing_id=int(number), mailing__organization=organization).values(
            "person_id"
        )
