"""The signed links in emails about people: unsubscribing from one organization."""

from __future__ import annotations

from groundswell.core import tokens
from groundswell.organizations.models import Organization
from groundswell.people.models import Person

UNSUBSCRIBE_SALT = "groundswell.people.unsubscribe"


def unsubscribe_token(person: Person, organization: Organization) -> str:
    return tokens.make([person.pk, organization.pk], salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[Person, Organization] | None:
    """The person and organization a token names, or None if forged or stale."""
    ids = tokens.read(token, salt=UNSUBSCRIBE_SALT).payload
    if not (isinstance(ids, list) and len(ids) == 2 and all(isinstance(i, int) for i in ids)):
        return None
    person = Person.objects.filter(pk=ids[0]).first()
    organization = Organization.objects.filter(pk=ids[1]).first()
    if person is None or organization is None:
        return None
    return person, organization
