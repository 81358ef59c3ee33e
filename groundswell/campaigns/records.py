"""Campaigns' part in the people app's record of a supporter (people.registry).

A confirmed sign-on makes its contact known to the campaign's owner (their email
address only with their consent); it shows on their timeline, is in their copy of
their data, and loses its contact details when they ask to be erased (the
organization's public endorsement stays: it is the organization's, not theirs).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from groundswell.campaigns.actions import erase_endorsements
from groundswell.campaigns.models import Campaign, Endorsement, EndorsementState
from groundswell.organizations.models import Organization
from groundswell.people.models import Person
from groundswell.people.registry import Entry

ACTION_PREFIX = "endorsed:"


def _endorsements_of(person: Person) -> QuerySet[Endorsement]:
    emails = [person.email_normalized, *person.other_emails.values_list("normalized", flat=True)]
    return Endorsement.objects.filter(
        Q(person=person) | Q(email_normalized__in=[e for e in emails if e])
    )


class EndorsementRecords:
    name = "endorsements"

    def timeline(self, person: Person, organization: Organization) -> Iterable[Entry]:
        endorsements = (
            Endorsement.objects.filter(person=person, campaign__owner=organization)
            .exclude(state=EndorsementState.PENDING)
            .select_related("campaign")
        )
        for endorsement in endorsements:
            yield Entry(
                at=endorsement.verified_at or endorsement.created_at,
                kind="endorsement",
                label=_("Endorsed a campaign"),
                summary=f"{endorsement.organization_name}: {endorsement.campaign.title}",
                source=f"campaign:{endorsement.campaign.slug}",
                url=reverse(
                    "campaigns_manage:dashboard",
                    args=[organization.slug, endorsement.campaign.slug],
                ),
            )

    def export(self, person: Person) -> dict[str, Any]:
        return {
            "items": [
                {
                    "campaign": e.campaign.title,
                    "demand": e.demand.title if e.demand else None,
                    "organization_name": e.organization_name,
                    "contact_name": e.contact_name,
                    "contact_email": e.contact_email,
                    "statement": e.statement,
                    "state": e.state,
                    "sent_at": e.created_at.isoformat(),
                    "ip_address": e.ip_address,
                    "confirmed_at": e.verified_at.isoformat() if e.verified_at else None,
                }
                for e in _endorsements_of(person).select_related("campaign", "demand")
            ]
        }

    def erase(self, person: Person) -> int:
        return erase_endorsements(_endorsements_of(person))

    def forget(self, person: Person, organization: Organization) -> int:
        return erase_endorsements(_endorsements_of(person).filter(campaign__owner=organization))

    def actions(self, organization: Organization) -> list[tuple[str, str]]:
        """ "Endorsed: <title>" for each campaign the organization owns."""
        campaigns = Campaign.objects.filter(owner=organization).values_list("pk", "title")
        return [
            (f"{ACTION_PREFIX}{pk}", _("Endorsed: %(title)s") % {"title": title})
            for pk, title in campaigns
        ]

    def people_who(self, key: str, organization: Organization) -> QuerySet[Any]:
        """Ids of the contacts who confirmed a sign-on to the campaign `key` names, if
        the organization owns it; no one otherwise."""
        endorsements = Endorsement.objects.filter(person__isnull=False).exclude(
            state=EndorsementState.PENDING
        )
        number = key.removeprefix(ACTION_PREFIX)
        if not key.startswith(ACTION_PREFIX) or not number.isdigit():
            return endorsements.none().values("person_id")
        return endorsements.filter(campaign_id=int(number), campaign__owner=organization).values(
            "person_id"
        )
