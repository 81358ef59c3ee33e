"""Writes about people and their consent."""

from __future__ import annotations

import datetime

from django.core import signing
from django.db import transaction
from django.utils import timezone

from groundswell.organizations.models import Organization
from groundswell.people.emails import normalize_email
from groundswell.people.models import Channel, Consent, Person

UNSUBSCRIBE_SALT = "groundswell.people.unsubscribe"


def record_person(
    *,
    email: str,
    first_name: str = "",
    last_name: str = "",
    zip_code: str = "",
    address: str = "",
    language: str = "en",
) -> Person:
    """Find the person by normalized email, or create them.

    For a known person only blank fields are filled in: whoever types someone's email
    address into a form must not be able to rewrite that person's name or address.
    """
    key = normalize_email(email)
    with transaction.atomic():
        person, created = Person.objects.select_for_update().get_or_create(
            email_normalized=key,
            defaults={
                "email": email.strip(),
                "first_name": first_name,
                "last_name": last_name,
                "zip_code": zip_code,
                "address": address,
                "language": language,
            },
        )
        if not created:
            person.first_name = person.first_name or first_name
            person.last_name = person.last_name or last_name
            person.zip_code = person.zip_code or zip_code
            person.address = person.address or address
            person.save()
    return person


def grant_consent(
    person: Person,
    organization: Organization,
    *,
    source: str,
    given_at: datetime.datetime | None = None,
) -> Consent:
    """Record (or renew) the person's email consent to the organization.

    `given_at` is when the person gave it (e.g. ticked a box before confirming); a
    withdrawal made after that moment wins, and the consent is not renewed.
    """
    now = timezone.now()
    consent, created = Consent.objects.get_or_create(
        person=person,
        organization=organization,
        channel=Channel.EMAIL,
        defaults={"granted_at": now, "source": source},
    )
    withdrawn_later = (
        consent.withdrawn_at is not None
        and given_at is not None
        and consent.withdrawn_at > given_at
    )
    if not created and consent.withdrawn_at is not None and not withdrawn_later:
        consent.granted_at = now
        consent.source = source
        consent.withdrawn_at = None
        consent.withdrawn_source = ""
        consent.save()
    return consent


def withdraw_email_consent(person: Person, organization: Organization, *, source: str) -> bool:
    """Withdraw the organization's email consent everywhere; True if anything changed."""
    changed = (
        Consent.objects.active()
        .filter(person=person, organization=organization, channel=Channel.EMAIL)
        .update(withdrawn_at=timezone.now(), withdrawn_source=source)
    )
    return changed > 0


def unsubscribe_token(person: Person, organization: Organization) -> str:
    return signing.dumps([person.pk, organization.pk], salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[Person, Organization] | None:
    """The person and organization a token names, or None if forged or stale."""
    try:
        person_id, organization_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    person = Person.objects.filter(pk=person_id).first()
    organization = Organization.objects.filter(pk=organization_id).first()
    if person is None or organization is None:
        return None
    return person, organization
