"""A supporter's rights over what is held about them: a copy of it, and its erasure.

The supporter's own copy (`data_copy`) holds everything every organization knows; an
organizer relaying a request only gets their organization's view (`organization_copy`)
and can have the full copy emailed to the supporter instead (`data_link_token`).

Erasure everywhere (`erase`) is the supporter's own decision, from their emailed link.
An organizer relaying a request to be erased removes the person from their own
organization only (`erase_from_organization`): one organization's staff must never be
able to wipe what another organization holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy

from groundswell.accounts import sealing
from groundswell.core import ratelimit, tokens
from groundswell.organizations.models import Organization
from groundswell.people import audit, registry
from groundswell.people.actions import find_person, suppression
from groundswell.people.addresses import normalize_email
from groundswell.people.imports import cleanup as import_cleanup
from groundswell.people.models import (
    Activity,
    AuditEvent,
    Channel,
    Consent,
    ContactRestriction,
    Erasure,
    ListMember,
    Person,
    PersonEmail,
    Supporter,
    Tagging,
)
from groundswell.people.rights import staff
from groundswell.people.timeline import timeline

if TYPE_CHECKING:
    from django.http import HttpRequest

    from groundswell.accounts.models import User

DATA_LINK_SALT = "groundswell.people.data-link"
# Said in the copy of their data and on the erase pages (people/rights/_kept_after_erasure.html).
KEPT_AFTER_ERASURE = gettext_lazy(
    "What we keep after erasing: for each of your email addresses and phone numbers, a "
    "fingerprint (a keyed code that cannot be turned back into the address or number), "
    "and which organizations you had unsubscribed from. It is how we refuse when an "
    "organization later imports or types in your address again: you are not added "
    "back, nor subscribed, without your say. If you later agree to hear from an "
    "organization yourself (when you sign, RSVP or sign up), you start over."
)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value else None


def _supporter_fields(supporter: Supporter, *, hidden: Iterable[str] = ()) -> dict[str, Any]:
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
    for name in hidden:
        fields.pop(name)
    return fields


def data_copy(person: Person) -> dict[str, Any]:
    """Everything held about the person, as plain data (for JSON and a readable page).

    Organizations' own notes about them (tags, lists, custom fields, what each was told)
    are included: the person has a right to know what is said about them. So are the
    records an organization keeps apart of their addresses (people.actions.record_person).
    """
    people = [person.pk, *person.kept_apart.values_list("pk", flat=True)]
    supporters = Supporter.objects.filter(person__in=people).select_related("organization")
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
            for consent in Consent.objects.filter(person__in=people)
            .select_related("organization")
            .order_by("granted_at", "pk")
        ],
        "tags": [
            {"organization": t.tag.organization.name, "tag": t.tag.name, "at": _iso(t.created_at)}
            for t in Tagging.objects.filter(person__in=people)
            .select_related("tag__organization")
            .order_by("created_at", "pk")
        ],
        "lists": [
            {
                "organization": m.person_list.organization.name,
                "list": m.person_list.name,
                "at": _iso(m.added_at),
            }
            for m in ListMember.objects.filter(person__in=people)
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
            for a in Activity.objects.filter(person__in=people).select_related("organization")
        ],
    }
    for provider in registry.providers():
        data[provider.name] = provider.export(person)
    # An organizer account at one of their addresses is not part of this data, nor of
    # its erasure: said here, so that they know (people.rights.staff).
    data["staff_accounts"] = staff.described(staff.staff_memberships(person))
    data["kept_after_erasure"] = str(KEPT_AFTER_ERASURE)
    return data


def organization_copy(person: Person, organization: Organization) -> dict[str, Any]:
    """What one organization holds about the person, as its organizers may see it.

    For an organizer relaying a supporter's request: nothing another organization
    collected, and contact fields only where it sees them (Supporter.shows: with the
    person's active email consent, or supplied by it; the same rule as every list and
    export). The full copy goes to the supporter by link.
    """
    supporter = Supporter.objects.visible_to(organization).get(person=person)
    hidden = [name for name, value in supporter.contact.items() if value is None]
    return {
        "generated_at": timezone.now().isoformat(),
        "organization": organization.name,
        "supporter": {
            "id": supporter.pk,
            "since": _iso(supporter.created_at),
            "how": supporter.source,
            **_supporter_fields(supporter, hidden=hidden),
            "custom_fields": supporter.custom_fields,
        },
        "contact_details_withheld": bool(hidden),
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
    return tokens.make({"p": person.pk, "a": fingerprint}, salt=DATA_LINK_SALT, compress=True)


class LinkError(Exception):
    """An emailed data link that does not work; `expired` says whether it was only old."""

    def __init__(self, *, expired: bool = False) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


@dataclass(frozen=True)
class DataGrant:
    """What a working data link grants: the person's data, while the address it was
    sent to is still theirs, until `expires_at` (Unix seconds). The pages keep this in
    the session, so that the token itself appears in one request only."""

    person_id: int
    fingerprint: str
    expires_at: int


def open_data_link(token: str) -> DataGrant:
    """What an emailed data link grants, or LinkError (forged, tampered, expired,
    erased, or the address it was sent to is no longer theirs)."""
    reading = tokens.read(token, salt=DATA_LINK_SALT, max_age=link_max_age())
    if reading.expired:
        raise LinkError(expired=True)
    person_id = reading.get("p", int)
    if person_id is None or reading.issued_at is None:
        raise LinkError
    grant = DataGrant(
        person_id, str(reading.payload.get("a", "")), reading.issued_at + link_max_age()
    )
    granted_person(grant)
    return grant


def granted_person(grant: DataGrant) -> Person:
    """The person a grant opens, checked anew: LinkError once it expired, the person was
    erased or the address the link was sent to is no longer theirs."""
    if grant.expires_at <= timezone.now().timestamp():
        raise LinkError(expired=True)
    person = Person.objects.filter(pk=grant.person_id).first()
    if person is None or address_for(person, grant.fingerprint) is None:
        raise LinkError
    return person


def request_data_link(email: str, *, ip: str | None) -> bool:
    """A supporter asks for a link to their data: within the rate limits, queue the
    task that emails it if the address is one of a person's. Returns whether a task was
    queued; the page must not show it, so that nobody learns whether an address is known.

    Limits (per IP address, then per email address, counted by core.ratelimit for every
    app process and server together) keep the form from being used to flood someone's
    mailbox; nothing is ever sent to an address nobody holds. Whether the address is
    known is looked up by the worker, not here: the request takes the same time either
    way. The task carries the address sealed (accounts.sealing).
    """
    from groundswell.people.rights import tasks as rights_tasks

    normalized = normalize_email(email)
    fingerprint = address_fingerprint(normalized)
    if not ratelimit.hit("data_request_by_ip", ratelimit.client_key(ip or "unknown")).allowed:
        return False
    if not ratelimit.hit("data_request_by_address", fingerprint).allowed:
        return False
    rights_tasks.send_requested_data_link.enqueue(sealing.seal(normalized))
    return True


def person_asking(sealed: str) -> tuple[Person, str] | None:
    """For the worker: the person whose address a sealed request names, and that
    address's fingerprint; None for an address nobody holds (or a broken seal)."""
    try:
        normalized = sealing.unseal(sealed)
    except sealing.Unsealable:
        return None
    person = find_person(email=normalized)
    if person is None:
        return None
    return person, address_fingerprint(normalized)


def relay_address(supporter: Supporter) -> str | None:
    """Where an organizer may have a supporter's data link sent: the address this
    organization was itself given, only with the supporter's active email consent, and
    only if it is still one of the person's addresses. None otherwise (the organization
    must not learn, or use, an address another organization holds)."""
    if not supporter.email:
        return None
    contactable = Consent.objects.active().filter(
        person_id=supporter.person_id,
        organization_id=supporter.organization_id,
        channel=Channel.EMAIL,
    )
    if not contactable.exists():
        return None
    normalized = normalize_email(supporter.email)
    if normalized not in addresses(supporter.person):
        return None
    return supporter.email


def email_data_link(person: Person, address: str, *, organization: Organization) -> bool:
    """Queue the supporter's data link to `address` (see relay_address) for an organizer
    relaying a request; False if one was relayed to it too often lately.

    The limit is the organization's own: that the supporter, or another organization,
    asked for a link lately is none of this organization's business."""
    from groundswell.people.rights import tasks as rights_tasks

    fingerprint = address_fingerprint(normalize_email(address))
    if not ratelimit.hit("data_link_relay", f"{organization.pk}:{fingerprint}").allowed:
        return False
    rights_tasks.send_data_link.enqueue(person.pk, fingerprint)
    return True


# --- Erasure -----------------------------------------------------------------------------


def _total(records: dict[str, Any]) -> int:
    return sum(value for value in records.values() if isinstance(value, int))


def erase(
    person: Person,
    *,
    via: str,
    organization: Organization | None = None,
    by: User | None = None,
) -> Erasure:
    """Erase the person everywhere, irreversibly; what they did keeps counting, anonymized.

    For the supporter's own request (their emailed link) or an operator. Higher apps'
    providers anonymize their rows first (signatures stay in the counts); then the
    person and everything hanging off them (emails, phones, every organization's
    Supporter row, consents, tags, lists, timeline) is deleted. Audit entries lose their
    link. Only the Erasure record remains, saying that it happened, when, how many
    records, and at whose request; and the keyed hashes of their addresses and numbers
    on the suppression list (people.actions.suppression), so that no import, API call
    or organizer entry brings them back (an import queued or running now included).
    Raises Person.DoesNotExist if the person was erased meanwhile.
    """
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        records: dict[str, Any] = {"scope": "everywhere"}
        records["suppressed"] = suppression.erased_everywhere(person)
        # Their organizer account, if any, stays until its organizations decide.
        memberships = staff.staff_memberships(person)
        records["staff_accounts"] = len(memberships)
        staff.tell_organizations(memberships)
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


def _holds_nothing_more(person: Person) -> bool:
    """True when no organization knows the person any more and nothing else is held
    about them (no consent, tag, list, timeline entry, record kept apart of their
    address, nor a provider's record)."""
    if person.kept_apart.exists():
        # Deleting them would take an organization's record kept apart with them, and
        # tell it that the two were the same person.
        return False
    for model in (Supporter, Consent, Tagging, ListMember, Activity):
        if model.objects.filter(person=person).exists():
            return False
    for provider in registry.providers():
        held = provider.export(person)
        if any(held.values()):
            return False
    return True


def erase_from_organization(
    person: Person, organization: Organization, *, by: User, request: HttpRequest | None = None
) -> Erasure:
    """An organizer relays the supporter's request to be erased: the organization
    forgets them, irreversibly, and its audit log says who did it (naming no one).

    Goes: the organization's Supporter row, its consents, tags, lists and timeline
    entries, its contact restriction on them, its failed import rows carrying their
    address or phone, its audit entries' link to them, and (through the providers)
    their signatures on petitions it owns, anonymized but still counting. What other
    organizations hold stays: erasing everything is the supporter's own decision, from
    the emailed link to their data.

    A person no other organization knows and of whom nothing else is held is deleted
    outright (their emails and phones too): the same as erasing them everywhere, and
    nothing is kept for nobody. The Erasure's records say so ("person": 1) for the
    operators; the organization sees the same outcome either way, so that it does not
    learn whether others knew them.

    Raises Supporter.DoesNotExist (or Person.DoesNotExist) if the organization no
    longer knows them, e.g. after a second click.
    """
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        supporter = Supporter.objects.visible_to(organization).get(person=person)
        records: dict[str, Any] = {"scope": "organization"}
        # Its own input may not bring them back (people.actions.suppression): what it
        # saw of them, never an address it was not shown.
        seen = supporter.contact
        suppression.erased_from(organization, email=seen["email"] or "", phone=seen["phone"] or "")
        for provider in registry.providers():
            records[provider.name] = provider.forget(person, organization)
        records["failed_import_rows"] = import_cleanup.forget_rows(
            person, organization=organization
        )
        records["consents"], _ = Consent.objects.filter(
            person=person, organization=organization
        ).delete()
        records["tags"], _ = Tagging.objects.filter(
            person=person, tag__organization=organization
        ).delete()
        records["lists"], _ = ListMember.objects.filter(
            person=person, person_list__organization=organization
        ).delete()
        records["timeline"], _ = Activity.objects.filter(
            person=person, organization=organization
        ).delete()
        # Its "do not contact" (and the reason it wrote) goes too: it reaches them no more.
        records["contact_restrictions"], _ = ContactRestriction.objects.filter(
            person=person, organization=organization
        ).delete()
        AuditEvent.objects.filter(person=person, organization=organization).update(person=None)
        supporter.delete()
        records["organizations"] = 1
        counted = _total(records)
        records["person"] = 0
        if _holds_nothing_more(person):
            AuditEvent.objects.filter(person=person).update(person=None)
            person.delete()
            records["person"] = 1
        erasure = Erasure.objects.create(
            via=Erasure.Via.ORGANIZER, organization=organization, performed_by=by, records=records
        )
        audit.record(
            organization,
            AuditEvent.Action.ERASED,
            request=request,
            user=by,
            detail=f"erasure {erasure.pk} (this organization)",
            records=counted,
        )
    return erasure
