"""Writes about people and their consent."""

from __future__ import annotations

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
    """Find the person by normalized email, or create them; fill in what they told us."""
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
            person.first_name = first_name or person.first_name
            person.last_name = last_name or person.last_name
            person.zip_code = zip_code or person.zip_code
            person.address = address or person.address
            person.language = language or person.language
            person.save()
    return person


def grant_consent(person: Person, organization: Organization, *, source: str) -> Consent:
    """Record (or renew) the person's email consent to the organization."""
    now = timezone.now()
    consent, created = Consent.objects.get_or_create(
        person=person,
        organization=organization,
        channel=Channel.EMAIL,
        defaults={"granted_at": now, "source": source},
    )
    if not created and consent.withdrawn_at is not None:
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
