"""Signing, the hot path: storing a signature in one statement, signing again, the
confirmation link and its confirmation."""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, transaction
from django.db.models.constants import OnConflict
from django.db.models.sql.subqueries import InsertQuery
from django.utils import timezone

from groundswell.core import tokens
from groundswell.core.tokens import LinkOutcome
from groundswell.organizations.models import Organization
from groundswell.people import actions as people_actions
from groundswell.people.addresses import normalize_email
from groundswell.people.models import Person
from groundswell.petitions import (
    counts,
    emails,
    records,
    signals,
)
from groundswell.petitions.models import (
    CountChange,
    Petition,
    PetitionRef,
    Signature,
    SignatureState,
)

if TYPE_CHECKING:
    pass


VERIFY_SALT = "groundswell.petitions.verify"


class SignOutcome(enum.Enum):
    SIGNED = "signed"  # new signature, verification email queued
    RESENT = "resent"  # already signed, not verified yet: email sent again
    PENDING = "pending"  # already signed, not verified, resend limit reached
    ALREADY_VERIFIED = "already_verified"


@dataclass(frozen=True)
class SignResult:
    outcome: SignOutcome
    signature: Signature


def record_signature(
    petition: PetitionRef,
    *,
    first_name: str,
    last_name: str,
    email: str,
    email_normalized: str,
    zip_code: str,
    address: str = "",
    comment: str = "",
    public: bool = False,
    consents: list[int] | None = None,
    source: str = "",
    language: str = "en",
    ip_address: str | None = None,
    suspect_reason: str = "",
    send_email: bool = True,
) -> SignResult:
    """Store a pending signature and queue its verification email, in one transaction.

    The hot path: one INSERT for the signature (which is also its email's outbox
    entry) and one for its count change. It never updates a shared row. The same
    normalized email on the same petition never makes a second signature. A suspect
    signature (`suspect_reason`) is kept but stays out of the counts until an
    organizer clears it.
    """
    signature = Signature(
        petition_id=petition.pk,
        first_name=first_name,
        last_name=last_name,
        email=email,
        email_normalized=email_normalized,
        zip_code=zip_code,
        address=address,
        comment=comment,
        public=public,
        consents=sorted(set(consents or [])),
        source=source,
        language=language,
        ip_address=ip_address,
        suspect_reason=suspect_reason,
        verification_due=send_email,
    )
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        if _insert_in_one_statement(signature):
            return SignResult(SignOutcome.SIGNED, signature)
        return _signed_again(petition, email_normalized)
    try:
        with transaction.atomic():
            signature.save(force_insert=True)
            if signature.counts:
                counts.record_change(signature, total=1)
        return SignResult(SignOutcome.SIGNED, signature)
    except IntegrityError:
        pass
    return _signed_again(petition, email_normalized)


def record_vouched_signature(
    petition: Petition,
    person: Person,
    *,
    organization: Organization,
    first_name: str,
    last_name: str,
    email: str,
    zip_code: str = "",
    address: str = "",
    comment: str = "",
    language: str = "en",
    consent: bool = False,
) -> SignResult:
    """Record a signature an organization vouches for (collected on paper, at a door,
    or by its own tools) and sends over the API: verified at once, no confirmation
    email, with `api:<organization slug>` as its source.

    As with a confirmed signature, it counts and the signer becomes known to the
    petition's owner and co-sponsors; consent is not granted here (the caller records
    the organization's word on it). An address that already signed keeps its signature
    as it is: the outcome is then ALREADY_VERIFIED or PENDING. `consent` notes on the
    signature that the signer agreed to hear from the vouching organization.
    """
    key = normalize_email(email)
    signature = Signature(
        petition=petition,
        first_name=first_name,
        last_name=last_name,
        email=email,
        email_normalized=key,
        zip_code=zip_code,
        address=address,
        comment=comment,
        language=language or "en",
        source=f"api:{organization.slug}"[:40],
        consents=[organization.pk] if consent else [],
        state=SignatureState.VERIFIED,
        verified_at=timezone.now(),
        verification_due=False,
        verification_sends=0,
        person=person,
    )
    with transaction.atomic():
        try:
            with transaction.atomic():
                signature.save(force_insert=True)
        except IntegrityError:
            existing = Signature.objects.get(petition=petition, email_normalized=key)
            verified = existing.state == SignatureState.VERIFIED
            outcome = SignOutcome.ALREADY_VERIFIED if verified else SignOutcome.PENDING
            return SignResult(outcome, existing)
        organizations = petition.organizations
        for each in organizations:
            people_actions.link(person, each, **records.fields_of(signature, each))
        if signature.counts:
            counts.record_change(signature, total=1, verified=1)
            signals.announce_verified(signature, organizations)
    return SignResult(SignOutcome.SIGNED, signature)


def _insert_in_one_statement(signature: Signature) -> bool:
    """PostgreSQL: insert the signature and, if it counts, its count change, in one
    statement that commits on its own: one round trip, no BEGIN and COMMIT. False if
    this address had already signed (ON CONFLICT DO NOTHING inserted nothing).

    The INSERT is compiled by Django from the model, so its columns follow the model.
    """
    fields = [f for f in Signature._meta.concrete_fields if not f.primary_key]
    query = InsertQuery(
        Signature,
        on_conflict=OnConflict.IGNORE,
        unique_fields=[Signature._meta.get_field(n) for n in ("petition", "email_normalized")],
    )
    query.insert_values(fields, [signature])
    compiler = query.get_compiler(using=DEFAULT_DB_ALIAS)
    compiler.returning_fields = [Signature._meta.pk]
    [(insert_sql, insert_params)] = compiler.as_sql()
    change = CountChange._meta.db_table
    # Only Django-compiled SQL and a table name are formatted in; values are parameters.
    sql = (
        f"WITH signed AS ({insert_sql}), "  # noqa: S608
        f"counted AS (INSERT INTO {change} (petition_id, day, source, total, verified) "
        f"SELECT %s, %s, %s, 1, 0 FROM signed WHERE %s) "
        f"SELECT id FROM signed"
    )
    params = [
        *insert_params,
        signature.petition_id,
        signature.day,
        signature.source,
        signature.counts,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return False
    signature.pk = row[0]
    signature._state.adding = False
    return True


def _signed_again(petition: PetitionRef, email_normalized: str) -> SignResult:
    """The same person signing again is told so by email, at most a few times.

    The page they see is the same whatever happened, so nobody can learn from it
    whether an address has signed. Once the first link has expired, the count starts
    over, so a signer who waited too long can still get a working link.
    """
    with transaction.atomic():
        existing = Signature.objects.select_for_update().get(
            petition_id=petition.pk, email_normalized=email_normalized
        )
        verified = existing.state == SignatureState.VERIFIED
        outcome = SignOutcome.ALREADY_VERIFIED if verified else SignOutcome.RESENT
        expired_before = timezone.now() - datetime.timedelta(
            days=settings.VERIFICATION_MAX_AGE_DAYS
        )
        if existing.verification_sends >= settings.VERIFICATION_MAX_SENDS:
            if verified or existing.created_at > expired_before:
                return SignResult(
                    SignOutcome.ALREADY_VERIFIED if verified else SignOutcome.PENDING, existing
                )
            existing.verification_sends = 0
        if existing.suspect_reason and existing.cleared_at is None:
            return SignResult(outcome, existing)  # no mail on a suspect's behalf
        existing.verification_sends += 1
        existing.verification_due = not verified
        existing.save(update_fields=["verification_sends", "verification_due"])
        if verified:
            emails.queue_already_signed(existing.pk)
        return SignResult(outcome, existing)


VERIFY_LINK = tokens.ConfirmationLink[Signature](
    salt=VERIFY_SALT,
    id_key="s",
    find=lambda pk: (
        Signature.objects.select_related("petition", "petition__owner").filter(pk=pk).first()
    ),
    confirmed=lambda signature: signature.state == SignatureState.VERIFIED,
    compress=True,
)


def verification_token(signature: Signature) -> str:
    """A signed, expiring token; validating it needs no lookup table."""
    return VERIFY_LINK.token(signature)


@dataclass(frozen=True)
class VerifyResult:
    outcome: LinkOutcome
    signature: Signature | None = None


def check_verification(token: str) -> VerifyResult:
    """What confirming with this link would do, changing nothing (for the confirm page)."""
    return VerifyResult(*VERIFY_LINK.check(token))


def verify_signature(token: str) -> VerifyResult:
    """Confirm a signature from its emailed link: it then counts and its consents apply.

    Consent ticked on the form is not renewed for an organization the person has
    unsubscribed from since signing: the later choice wins.
    """
    with transaction.atomic():
        result = check_verification(token)
        if result.outcome != LinkOutcome.PENDING or result.signature is None:
            return result
        signature = Signature.objects.select_for_update().get(pk=result.signature.pk)
        signature.petition = result.signature.petition
        if signature.state == SignatureState.VERIFIED:
            return VerifyResult(LinkOutcome.ALREADY_CONFIRMED, signature)
        person = people_actions.record_person(
            email=signature.email,
            first_name=signature.first_name,
            last_name=signature.last_name,
            zip_code=signature.zip_code,
            address=signature.address,
            language=signature.language,
        )
        allowed = {org.pk: org for org in signature.petition.organizations}
        for organization in allowed.values():
            people_actions.link(person, organization, **records.fields_of(signature, organization))
        for organization_id in signature.consents:
            if organization_id in allowed:
                people_actions.grant_consent(
                    person,
                    allowed[organization_id],
                    source=f"petition:{signature.petition.slug}",
                    given_at=signature.created_at,
                )
        signature.state = SignatureState.VERIFIED
        signature.verified_at = timezone.now()
        signature.person = person
        signature.save(update_fields=["state", "verified_at", "person"])
        if signature.counts:
            counts.record_change(signature, verified=1)
            signals.announce_verified(signature, allowed.values())
    return VerifyResult(LinkOutcome.CONFIRMED, signature)
