"""Signatures recorded in bulk, with their own dates: the demo's made-up signers (and,
one day, signatures gathered elsewhere). The same outcome as signing and confirming one
by one — the signature, its person and the consents ticked once it is confirmed, the
signer known to the owner and every co-sponsor with contact details only where they
consented — in a few statements per thousand, and no email to anyone."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from groundswell.organizations.models import Organization
from groundswell.people import actions as people_actions
from groundswell.people.addresses import normalize_email
from groundswell.people.models import Supporter
from groundswell.petitions import records
from groundswell.petitions.models import Petition, Signature, SignatureState

BATCH = 2000


@dataclass(frozen=True)
class SignatureRecord:
    first_name: str
    last_name: str
    email: str
    zip_code: str
    created_at: datetime.datetime
    verified_at: datetime.datetime | None  # None: still waiting for its confirmation
    consents: Sequence[Organization] = ()  # the boxes ticked
    public: bool = False
    source: str = ""
    language: str = "en"


def record_signatures(petition: Petition, signed: Sequence[SignatureRecord]) -> int:
    """Store these signatures, skipping addresses that already signed; returns how many
    were stored. Counts are not folded here: a recount (petitions.counts) follows."""
    have = set(petition.signatures.values_list("email_normalized", flat=True))
    new = [s for s in signed if normalize_email(s.email) not in have]
    if not new:
        return 0
    people = people_actions.record_people(
        {
            "email": s.email,
            "first_name": s.first_name,
            "last_name": s.last_name,
            "zip_code": s.zip_code,
            "language": s.language,
        }
        for s in new
        if s.verified_at is not None
    )
    signatures = []
    grants = []
    for s in sorted(new, key=lambda s: s.created_at):
        key = normalize_email(s.email)
        person = people.get(key) if s.verified_at else None
        signatures.append(
            Signature(
                petition=petition,
                first_name=s.first_name,
                last_name=s.last_name,
                email=s.email,
                email_normalized=key,
                zip_code=s.zip_code,
                public=s.public,
                consents=sorted(o.pk for o in s.consents),
                source=s.source,
                language=s.language,
                state=SignatureState.VERIFIED if s.verified_at else SignatureState.PENDING,
                created_at=s.created_at,
                verified_at=s.verified_at,
                person=person,
                # Counted as sent long ago: the worker mails nobody on their behalf.
                verification_due=False,
                verification_sent_at=s.created_at,
            )
        )
        if person is not None and s.verified_at is not None:
            grants += [
                (person, organization, f"petition:{petition.slug}", s.verified_at)
                for organization in s.consents
            ]
    Signature.objects.bulk_create(signatures, batch_size=BATCH)
    people_actions.grant_consents(grants)
    organizations = petition.organizations
    people_actions.add_supporters(
        Supporter(
            person=signature.person,
            organization=organization,
            created_at=signature.verified_at or signature.created_at,
            **records.fields_of(signature, organization),
        )
        for signature in signatures
        if signature.person is not None
        for organization in organizations
    )
    return len(signatures)
