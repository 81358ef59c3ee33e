"""A supporter's rights over what is held about them: a copy of it, and its erasure.

The supporter's own copy (`data_copy`) holds everything every organization knows; an
organizer relaying a request only gets their organization's view (`organization_copy`)
and can have the full copy emailed to the supporter instead (`data_link_token`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from groundswell.organizations.models import Organization
from groundswell.people import audit, import_cleanup, registry
from groundswell.people.actions import find_person
from groundswell.people.emails import normalize_email
from groundswell.people.models import (
    Activity,
    AuditEvent,
    Consent,
    Erasure,
    ListMember,
    Person,
    PersonEmail,
    Supporter,
    Tagging,
)
from groundswell.people.timeline import timeline

if TYPE_CHECKING:
    from django.http import HttpRequest

    from groundswell.accounts.models import User

DATA_LINK_SALT = "groundswell.people.data-link"

# What an organization holds only to contact someone: shown to it only with consent.
CONTACT_FIELDS = ("email", "phone", "address")


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def _supporter_fields(supporter: Supporter, *, contact: bool = True) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "first_name": supporter.first_name,
        "last_name": supporter.last_name,
        "email": supporter.email,
        "phone": supporter.phone,
        "address": supporter.address,
        "city": supporter.city,
        "state": supporter.state,
        "zip_code": supporter.zip_code,
        "language": supporter.language,
        "languages": supporter.languages,
    }
    if not contact:
        for name in CONTACT_FIELDS:
            fields.pop(name)
    return fields


def data_copy(person: Person) -> dict[str, Any]:
    """Everything held about the person, as plain data (for JSON and a readable page).

    Organizations' own notes about them (tags, lists, custom fields, what each was told)
    are included: the person has a right to know what is said about them.
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
                "details": _supporter_fields(supporter),
                "custom_fields": supporter.custom_fields,
            }
            for supporter in supporters.order_by("created_at", "pk")
        ],
        "consents": [
            {
                "organization": consent.organization.name,
                "channel": consent.channel,
                "given_at": _iso(consent.granted_at),
                "how": consent.source,
                "withdrawn_at": _iso(consent.withdrawn_at),
            }
            for consent in Consent.objects.filter(person=person)
            .select_related("organization")
            .order_by("granted_at", "pk")
        ],
        "tags": [
            {"organization": t.tag.organization.name, "tag": t.tag.name, "at": _iso(t.created_at)}
            for t in Tagging.objects.filter(person=person)
            .select_related("tag__organization")
            .order_by("created_at", "pk")
        ],
        "lists": [
            {
                "organization": m.person_list.organization.name,
                "list": m.person_list.name,
                "at": _iso(m.added_at),
            }
            for m in ListMember.objects.filter(person=person)
            .select_related("person_list__organization")
            .order_by("added_at", "pk")
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


def organization_copy(person: Person, organization: Organization) -> dict[str, Any]:
    """What one organization holds about the person, as its organizers may see it.

    For an organizer relaying a supporter's request: nothing another organization
    collected, and contact fields only with the person's active email consent (the
    same rule as every list and export). The full copy goes to the supporter by link.
    """
    supporter = Supporter.objects.visible_to(organization).get(person=person)
    contactable = bool(supporter.contactable)  # type: ignore[attr-defined]
    return {
        "generated_at": timezone.now().isoformat(),
        "organization": organization.name,
        "supporter": {
            "id": person.pk,
            "since": _iso(supporter.created_at),
            "how": supporter.source,
            **_supporter_fields(supporter, contact=contactable),
            "custom_fields": supporter.custom_fields,
        },
        "contact_details_withheld": not contactable,
        "consents": [
            {
                "channel": consent.channel,
                "given_at": _iso(consent.granted_at),
                "how": consent.source,
                "withdrawn_at": _iso(consent.withdrawn_at),
            }
            for consent in Consent.objects.filter(
                person=person, organization=organization
            ).order_by("granted_at", "pk")
        ],
        "tags": [
            {"tag": t.tag.name, "at": _iso(t.created_at)}
            for t in Tagging.objects.filter(person=person, tag__organization=organization)
            .select_related("tag")
            .order_by("created_at", "pk")
        ],
        "lists": [
            {"list": m.person_list.name, "at": _iso(m.added_at)}
            for m in ListMember.objects.filter(
                person=person, person_list__organization=organization
            )
            .select_related("person_list")
            .order_by("added_at", "pk")
        ],
        "timeline": [
            {
                "at": _iso(entry.at),
                "what": entry.kind,
                "label": str(entry.label),
                "summary": entry.summary,
                "how": entry.source,
            }
            for entry in timeline(person, organization)
        ],
    }


# --- The emailed link to a supporter's own data -------------------------------------------


def link_max_age() -> int:
    """Seconds an emailed data link works (DATA_LINK_MAX_AGE_DAYS, default 7 days)."""
    return settings.DATA_LINK_MAX_AGE_DAYS * 24 * 3600


def address_fingerprint(normalized: str) -> str:
    """A keyed digest of a normalized address: tokens and task arguments carry this,
    never the address, and without SECRET_KEY it cannot be tested against a guess."""
    return salted_hmac(DATA_LINK_SALT, normalized).hexdigest()[:24]


def addresses(person: Person) -> list[str]:
    """The person's normalized addresses, the primary first."""
    others = PersonEmail.objects.filter(person=person).order_by("created_at", "pk")
    found = [person.email_normalized or "", *others.values_list("normalized", flat=True)]
    return [a for a in found if a]


def address_for(person: Person, fingerprint: str) -> str | None:
    """The person's address (as they gave it) whose fingerprint this is, if any."""
    if person.email_normalized and address_fingerprint(person.email_normalized) == fingerprint:
        return person.email
    for other in PersonEmail.objects.filter(person=person):
        if address_fingerprint(other.normalized) == fingerprint:
            return other.address
    return None


def data_link_token(person: Person, address: str) -> str:
    """A signed token for the person's data pages, bound to the address it is sent to:
    it stops working when the person is erased or that address is removed from them."""
    fingerprint = address_fingerprint(normalize_email(address))
    return signing.dumps({"p": person.pk, "a": fingerprint}, salt=DATA_LINK_SALT, compress=True)


class LinkError(Exception):
    """An emailed data link that does not work; `expired` says whether it was only old."""

    def __init__(self, *, expired: bool = False) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def read_data_link(token: str) -> Person:
    """The person an emailed data link names, or LinkError (forged, tampered, expired,
    erased, or the address it was sent to is no longer theirs)."""
    try:
        data = signing.loads(token, salt=DATA_LINK_SALT, max_age=link_max_age())
    except signing.SignatureExpired:
        raise LinkError(expired=True) from None
    except (signing.BadSignature, ValueError, TypeError):
        raise LinkError from None
    if not isinstance(data, dict) or not isinstance(data.get("p"), int):
        raise LinkError
    person = Person.objects.filter(pk=data["p"]).first()
    if person is None or address_for(person, str(data.get("a", ""))) is None:
        raise LinkError
    return person


def _within(key: str, limit: tuple[int, int]) -> bool:
    """Count one more event against a fixed-window limit (count, seconds) in the cache;
    False once the window holds more than `count`. Atomic in Redis and in one process."""
    count, seconds = limit
    window = int(timezone.now().timestamp()) // seconds
    key = f"people:data-request:{key}:{window}"
    cache.add(key, 0, timeout=seconds)
    try:
        used = cache.incr(key)
    except ValueError:  # the window ended between add and incr
        cache.set(key, 1, timeout=seconds)
        used = 1
    return used <= count


def request_data_link(email: str, *, ip: str | None) -> bool:
    """A supporter asks for a link to their data: email it if the address is one of a
    person's, within the rate limits. Returns whether an email was queued; the page
    must not show it, so that nobody learns whether an address is known.

    Limits (per IP address, then per email address) keep the form from being used to
    flood someone's mailbox; nothing is ever sent to an address nobody holds.
    """
    from groundswell.people import rights_tasks

    normalized = normalize_email(email)
    fingerprint = address_fingerprint(normalized)
    per_ip = settings.DATA_REQUEST_RATE_IP
    per_address = settings.DATA_REQUEST_RATE_ADDRESS
    if not _within(f"ip:{ip or 'unknown'}", per_ip):
        return False
    if not _within(f"address:{fingerprint}", per_address):
        return False
    person = find_person(email=normalized)
    if person is None:
        return False
    rights_tasks.send_data_link.enqueue(person.pk, fingerprint)
    return True


def email_data_link(person: Person) -> bool:
    """Queue the supporter's data link to their primary address (an organizer relaying
    a request); False if they have no email address or one was sent too often lately."""
    from groundswell.people import rights_tasks

    found = addresses(person)
    if not found:
        return False
    fingerprint = address_fingerprint(found[0])
    per_address = settings.DATA_REQUEST_RATE_ADDRESS
    if not _within(f"address:{fingerprint}", per_address):
        return False
    rights_tasks.send_data_link.enqueue(person.pk, fingerprint)
    return True


# --- Erasure -----------------------------------------------------------------------------


def erase(
    person: Person,
    *,
    via: str,
    organization: Organization | None = None,
    by: User | None = None,
) -> Erasure:
    """Erase the person everywhere, irreversibly; what they did keeps counting, anonymized.

    Higher apps' providers anonymize their rows first (signatures stay in the counts);
    then the person and everything hanging off them (emails, phones, every
    organization's Supporter row, consents, tags, lists, timeline) is deleted. Audit
    entries lose their link. Only the Erasure record remains, saying that it happened,
    when, how many records, and at whose request. Raises Person.DoesNotExist if the
    person was erased meanwhile.
    """
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        records: dict[str, int] = {}
        for provider in registry.providers():
            records[provider.name] = provider.erase(person)
        records["failed_import_rows"] = import_cleanup.forget_rows(person)
        records["organizations"] = Supporter.objects.filter(person=person).count()
        records["emails"] = PersonEmail.objects.filter(person=person).count() + (
            1 if person.email_normalized else 0
        )
        records["phones"] = person.phones.count()
        records["consents"] = Consent.objects.filter(person=person).count()
        records["tags"] = Tagging.objects.filter(person=person).count()
        records["lists"] = ListMember.objects.filter(person=person).count()
        records["timeline"] = Activity.objects.filter(person=person).count()
        AuditEvent.objects.filter(person=person).update(person=None)
        person.delete()
        return Erasure.objects.create(
            via=via, organization=organization, performed_by=by, records=records
        )


def erase_for_organization(
    person: Person, organization: Organization, *, by: User, request: HttpRequest | None = None
) -> Erasure:
    """An organizer relays the supporter's request: they are erased everywhere, and the
    organization's audit log says who did it (the entry names no one erased)."""
    with transaction.atomic():
        erasure = erase(person, via=Erasure.Via.ORGANIZER, organization=organization, by=by)
        audit.record(
            organization,
            AuditEvent.Action.ERASED,
            request=request,
            user=by,
            detail=f"erasure {erasure.pk}",
            records=sum(erasure.records.values()),
        )
    return erasure
