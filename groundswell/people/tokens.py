"""The signed links in emails about people: unsubscribing from one organization."""

from __future__ import annotations

from django.core import signing

from groundswell.organizations.models import Organization
from groundswell.people.models import Person

UNSUBSCRIBE_SALT = "groundswell.people.unsubscribe"


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
