"""Petitions' part in the people app's record of a supporter (people.registry).

A confirmed signature makes its signer known to the petition's owner and co-sponsors
(their contact details only to those they consented to); the signature shows on their
timeline, is in the signer's copy of their data, and is anonymized (still counting)
when they ask to be erased.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from groundswell.organizations.models import Organization
from groundswell.people import actions as people_actions
from groundswell.people.models import Person, Supporter
from groundswell.people.registry import Entry
from groundswell.petitions import anonymize
from groundswell.petitions.models import Petition, Signature, SignatureState

# What a signer gave only to reach them: an organization gets it only with their consent.
CONTACT_FIELDS = ("email", "address")


def fields_of(signature: Signature, organization: Organization | None = None) -> dict[str, str]:
    """What a signature tells one of the petition's organizations about its signer.

    Contact details (email, street address) go only to an organization the signer agreed,
    in this signature, to be contacted by: a co-sponsor they did not tick learns their
    name and ZIP code, and claiming their consent later unlocks nothing it was not given.
    Without an organization, no contact details.
    """
    fields = {
        "source": f"petition:{signature.petition.slug}",
        "first_name": signature.first_name,
        "last_name": signature.last_name,
        "zip_code": signature.zip_code,
        "language": signature.language,
    }
    if organization is not None and organization.pk in signature.consents:
        fields.update(email=signature.email, address=signature.address)
    return fields


def link_signers(petition: Petition, organizations: Iterable[Organization]) -> int:
    """Make the petition's confirmed signers known to these organizations (a co-sponsor
    joining later sees who signed, never their contact details: they could not agree
    to be contacted by it when they signed)."""
    signatures = (
        petition.signatures.filter(state=SignatureState.VERIFIED, person__isnull=False)
        .select_related("petition")
        .order_by("pk")
    )
    now = timezone.now()
    added = 0
    for organization in organizations:
        rows = signatures.iterator(chunk_size=2000)
        while batch := list(islice(rows, 2000)):
            added += people_actions.add_supporters(
                Supporter(
                    person_id=signature.person_id or 0,
                    organization=organization,
                    created_at=now,
                    **fields_of(signature),
                )
                for signature in batch
            )
    return added


def _signatures_of(person: Person) -> Any:
    emails = [person.email_normalized, *person.other_emails.values_list("normalized", flat=True)]
    return Signature.objects.filter(
        Q(person=person) | Q(email_normalized__in=[e for e in emails if e])
    )


ACTION_PREFIX = "petition:"


class SignatureRecords:
    name = "signatures"

    def timeline(self, person: Person, organization: Organization) -> Iterable[Entry]:
        signatures = (
            Signature.objects.filter(person=person, state=SignatureState.VERIFIED)
            .filter(Q(petition__owner=organization) | Q(petition__sponsors=organization))
            .select_related("petition")
            .distinct()
        )
        for signature in signatures:
            yield Entry(
                at=signature.verified_at or signature.created_at,
                kind="signature",
                label=_("Signed a petition"),
                summary=signature.petition.title,
                source=signature.source,
                url=reverse(
                    "petitions_manage:dashboard",
                    args=[organization.slug, signature.petition.slug],
                ),
            )

    def export(self, person: Person) -> dict[str, Any]:
        return {
            "items": [
                {
                    "petition": s.petition.title,
                    "first_name": s.first_name,
                    "last_name": s.last_name,
                    "email": s.email,
                    "zip_code": s.zip_code,
                    "address": s.address,
                    "comment": s.comment,
                    "shown_publicly": s.public,
                    "source": s.source,
                    "signed_at": s.created_at.isoformat(),
                    "confirmed_at": s.verified_at.isoformat() if s.verified_at else None,
                    "ip_address": s.ip_address,
                    "point": [s.lat, s.lon] if s.lat is not None else None,
                    "ward": s.district.division_id if s.district else None,
                    "ward_precision": s.district_precision,
                }
                for s in _signatures_of(person).select_related("petition", "district")
            ]
        }

    def erase(self, person: Person) -> int:
        return anonymize.anonymize(_signatures_of(person), timezone.now())

    def forget(self, person: Person, organization: Organization) -> int:
        """Anonymize the person's signatures on petitions the organization owns (they
        keep counting); a co-sponsored petition's signatures are its owner's."""
        owned = _signatures_of(person).filter(petition__owner=organization)
        return anonymize.anonymize(owned, timezone.now())

    def actions(self, organization: Organization) -> list[tuple[str, str]]:
        """ "Signed: <title>" for each petition the organization owns or co-sponsors."""
        petitions = (
            Petition.objects.involving(organization)
            .order_by("-created_at", "-pk")
            .values_list("pk", "title")
        )
        return [
            (f"{ACTION_PREFIX}{pk}", _("Signed: %(title)s") % {"title": title})
            for pk, title in petitions
        ]

    def people_who(self, key: str, organization: Organization) -> QuerySet[Any]:
        """Ids of the confirmed signers of the petition `key` names, if the organization
        owns or co-sponsors it; no one otherwise."""
        signatures = Signature.objects.filter(state=SignatureState.VERIFIED, person__isnull=False)
        number = key.removeprefix(ACTION_PREFIX)
        if not key.startswith(ACTION_PREFIX) or not number.isdigit():
            return signatures.none().values("person_id")
        involved = Petition.objects.involving(organization).filter(pk=int(number))
        return signatures.filter(petition__in=involved.values("pk")).values("person_id")
