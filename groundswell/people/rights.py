"""A supporter's rights over what is held about them: a copy of it, and its erasure."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from groundswell.organizations.models import Organization
from groundswell.people import registry
from groundswell.people.models import (
    Activity,
    AuditEvent,
    Consent,
    Erasure,
    ListMember,
    Person,
    Supporter,
    Tagging,
)

if TYPE_CHECKING:
    from groundswell.accounts.models import User


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def data_copy(person: Person) -> dict[str, Any]:
    """Everything held about the person, as plain data (for JSON and a readable page).

    Organizations' own notes about them (tags, lists, custom fields) are included: the
    person has a right to know what is said about them.
    """
    supporters = Supporter.objects.filter(person=person).select_related("organization")
    data: dict[str, Any] = {
        "generated_at": timezone.now().isoformat(),
        "person": {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": person.email,
            "other_emails": list(person.other_emails.values_list("address", flat=True)),
            "phones": list(person.phones.values_list("number", flat=True)),
            "address": person.address,
            "city": person.city,
            "state": person.state,
            "zip_code": person.zip_code,
            "language": person.language,
            "languages": person.languages,
            "created_at": _iso(person.created_at),
            "updated_at": _iso(person.updated_at),
        },
        "organizations": [
            {
                "organization": supporter.organization.name,
                "since": _iso(supporter.created_at),
                "how": supporter.source,
                "custom_fields": supporter.custom_fields,
            }
            for supporter in supporters
        ],
        "consents": [
            {
                "organization": consent.organization.name,
                "channel": consent.channel,
                "given_at": _iso(consent.granted_at),
                "how": consent.source,
                "withdrawn_at": _iso(consent.withdrawn_at),
            }
            for consent in Consent.objects.filter(person=person).select_related("organization")
        ],
        "tags": [
            {"organization": t.tag.organization.name, "tag": t.tag.name, "at": _iso(t.created_at)}
            for t in Tagging.objects.filter(person=person).select_related("tag__organization")
        ],
        "lists": [
            {
                "organization": m.person_list.organization.name,
                "list": m.person_list.name,
                "at": _iso(m.added_at),
            }
            for m in ListMember.objects.filter(person=person).select_related(
                "person_list__organization"
            )
        ],
        "activities": [
            {
                "organization": a.organization.name if a.organization else None,
                "what": a.kind,
                "summary": a.summary,
                "how": a.source,
                "at": _iso(a.occurred_at),
            }
            for a in Activity.objects.filter(person=person).select_related("organization")
        ],
    }
    for provider in registry.providers():
        data[provider.name] = provider.export(person)
    return data


def erase(
    person: Person,
    *,
    via: str,
    organization: Organization | None = None,
    by: User | None = None,
) -> Erasure:
    """Erase the person everywhere, irreversibly; what they did keeps counting, anonymized.

    Higher apps' providers anonymize their rows first (signatures stay in the counts);
    then the person and everything hanging off them (emails, phones, consents, tags,
    lists, custom fields, timeline) is deleted. Audit entries lose their link. Only the
    Erasure record remains, saying that it happened, when, and at whose request.
    """
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        records: dict[str, int] = {}
        for provider in registry.providers():
            records[provider.name] = provider.erase(person)
        records["consents"] = Consent.objects.filter(person=person).count()
        records["organizations"] = Supporter.objects.filter(person=person).count()
        records["timeline"] = Activity.objects.filter(person=person).count()
        AuditEvent.objects.filter(person=person).update(person=None)
        person.delete()
        return Erasure.objects.create(
            via=via, organization=organization, performed_by=by, records=records
        )
