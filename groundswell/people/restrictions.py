"""Contact restrictions, as every outbound message asks them: "do not contact" and
"safe to contact only by …" (people.models.ContactRestriction).

The outbox (a lower layer) asks `blocked_emails` for every message it is about to send
(people registers it in AppConfig.ready), so petitions, events, outreach, mailings and
whatever comes next obey without checks of their own. An address is blocked when it is
an address of a person (their primary one, another of theirs, or the holder's of a
record kept apart) that any organization restricted to anything but email.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet

from groundswell.organizations.models import Organization
from groundswell.people.addresses import normalize_email
from groundswell.people.models import ContactRestriction, Person, PersonEmail


def blocked_emails(addresses: Iterable[str]) -> set[str]:
    """The addresses (as given) that no email may go to."""
    restricted = ContactRestriction.objects.exclude(kind=ContactRestriction.Kind.EMAIL)
    if not restricted.exists():  # the usual case: one query on a small table
        return set()
    return {address for address in addresses if _restricted(restricted, address)}


def _restricted(restricted: QuerySet[ContactRestriction], address: str) -> bool:
    key = normalize_email(address)
    if not key:
        return False
    # Two lookups on unique indexes (an OR across the join would scan the people).
    people = set(Person.objects.filter(email_normalized=key).values_list("pk", flat=True))
    people |= set(PersonEmail.objects.filter(normalized=key).values_list("person_id", flat=True))
    if not people:
        return False
    return restricted.filter(Q(person_id__in=people) | Q(person__holder_id__in=people)).exists()


def restriction_of(person: Person | int, organization: Organization) -> ContactRestriction | None:
    """The organization's own restriction on the person (never another's)."""
    return ContactRestriction.objects.filter(person=person, organization=organization).first()
