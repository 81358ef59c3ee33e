"""The organization's own record of a person: adding someone by hand, editing it, and
which contact fields may change (one rule for the organizer screens and the API)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction

from groundswell.organizations.models import Organization
from groundswell.people import signals
from groundswell.people.actions import suppression
from groundswell.people.actions.consent import grant_consent
from groundswell.people.actions.lists import get_or_create_tag, set_tags, tag_people
from groundswell.people.actions.persons import link_supplied, record_activity, record_person
from groundswell.people.addresses import normalize_email
from groundswell.people.models import (
    CONTACT_FIELDS,
    Activity,
    Channel,
    Consent,
    Supporter,
)
from groundswell.people.phones import normalize_phone

if TYPE_CHECKING:
    from groundswell.accounts.models import User


# --- The organization's own record: adding by hand, editing, tags and lists ------------

ADDED_BY_HAND = "manual"
# The organization's record of a person that an organizer may edit (see `changeable`).
EDITABLE = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "address",
    "city",
    "state",
    "zip_code",
    "language",
)


@dataclass(frozen=True)
class Added:
    supporter: Supporter
    # The organization already had them among its supporters, at the address (or
    # number) it typed: a record it sees that address on, so saying so reveals nothing.
    already_known: bool


def _contactable(supporter: Supporter) -> bool:
    if hasattr(supporter, "contactable"):
        return bool(supporter.contactable)
    return (
        Consent.objects.active()
        .filter(
            person=supporter.person_id,
            organization=supporter.organization_id,
            channel=Channel.EMAIL,
        )
        .exists()
    )


def changeable(supporter: Supporter) -> frozenset[str]:
    """The fields of its record of a person that an organization may change (organizer
    screens, the API, imports; update_supporter holds every caller to it).

    Every field but the contact ones. A contact field it sees (with the person's consent,
    or supplied by the organization itself: Supporter.shows), and a blank one where it
    already sees one of the record's contact details: what it adds then sits beside an
    address or number it sees, and joins nothing it could not. A hidden contact detail
    (given by the person, without their consent now) stays as it is, unseen. And a
    record it sees no contact detail of (a signer who did not agree to hear from it)
    gets none typed onto it: that would join an address to a name and ZIP code it was
    never given with it (people.actions.record_person keeps such input apart).
    """
    if _contactable(supporter):
        return frozenset(EDITABLE)
    seen = {name for name in CONTACT_FIELDS if name in supporter.supplied}
    sees_any = any(getattr(supporter, name) for name in seen)
    contact = {
        name
        for name in CONTACT_FIELDS
        if name in seen or (sees_any and not getattr(supporter, name))
    }
    return frozenset(name for name in EDITABLE if name not in CONTACT_FIELDS or name in contact)


def add_person(
    organization: Organization,
    *,
    fields: dict[str, str],
    consent_to_email: bool | None,
    consent_note: str = "",
    tags: Iterable[str] = (),
    custom_fields: dict[str, str] | None = None,
    by: User | None = None,
    source: str = ADDED_BY_HAND,
) -> Added:
    """Add someone the organization was told about (met at a meeting or on the phone,
    typed by its organizer; sent over its API, `source` "api") to its supporters.

    The person is matched as the organization's own input (record_person with
    `organization`): its own record of them where it sees the address (or number) it
    typed; else a new record of its own, whether or not anyone holds that address, and
    apart from someone it knows without seeing it there. So the answer is the same for
    an address nobody holds and for one held by anyone else, and nothing it could not
    see is joined to what it typed. The new record holds only what it typed, each
    contact field marked as supplied by it (Supporter.supplied): it always sees them.
    On its own record, blanks are filled where it may change them (`changeable`).

    `consent_to_email`: True when the organization states the person agreed (claimed,
    grant_consent: it never undoes their own unsubscribe); False when not; None when
    not said (the API without a status, as Action Network reads it): a new record with
    an email address is subscribed on the organization's word, a known one keeps its
    status.
    """
    given = {name: value for name, value in fields.items() if name in EDITABLE and value}
    with transaction.atomic():
        person = record_person(
            **{name: value for name, value in given.items() if name != "language"},
            language=given.get("language") or "en",
            organization=organization,
        )
        existing = Supporter.objects.visible_to(organization).filter(person=person).first()
        if existing is not None:
            allowed = changeable(existing)
            given = {name: value for name, value in given.items() if name in allowed}
        supporter = link_supplied(person, organization, source=source, **given)
        if custom_fields:
            supporter.custom_fields = {**custom_fields, **supporter.custom_fields}
            supporter.save(update_fields=["custom_fields", "updated_at"])
        new_address = existing is None and bool(given.get("email"))
        if consent_to_email or (consent_to_email is None and new_address):
            consent_source = f"{source}: {consent_note}" if consent_note else source
            grant_consent(person, organization, source=consent_source[:200], claimed=True)
        for name in tags:
            tag_people(get_or_create_tag(organization, name), [person.pk], by=by)
    return Added(supporter, existing is not None)


def update_supporter(
    supporter: Supporter,
    *,
    changes: dict[str, Any],
    tags: Iterable[str] | None = None,
    custom_fields: dict[str, str] | None = None,
    by: User | None = None,
    source: str = ADDED_BY_HAND,
) -> list[str]:
    """Change the organization's record of a supporter; returns the names of what
    changed (fields, "tags", "custom_fields"), for the timeline and the audit log.

    Only this organization's Supporter row, tags and custom fields change: the Person
    and other organizations' records stay as they are. Contact fields change only where
    `changeable` allows (others given are left as they are, for every caller alike),
    and those changed are the organization's own from then on (Supporter.supplied, with
    `source`).
    """
    changed: list[str] = []
    with transaction.atomic():
        supporter = Supporter.objects.select_for_update().get(pk=supporter.pk)
        allowed = changeable(supporter)
        for name, value in changes.items():
            if name not in EDITABLE:
                raise ValueError(f"not an editable supporter field: {name}")
            if name not in allowed:
                continue
            if name == "phone" and value:
                value = normalize_phone(value) or value
            if getattr(supporter, name) != value:
                setattr(supporter, name, value)
                changed.append(name)
        # A typed address or number may not bring back someone who erased (the same
        # rule, and the same words, as adding them: people.actions.suppression).
        if "email" in changed and supporter.email:
            suppression.check(
                supporter.organization, key=normalize_email(supporter.email), number=None
            )
        if "phone" in changed and supporter.phone:
            suppression.check(supporter.organization, key="", number=supporter.phone)
        supplied = {name: source for name in changed if name in CONTACT_FIELDS}
        if custom_fields is not None and custom_fields != supporter.custom_fields:
            supporter.custom_fields = custom_fields
            changed.append("custom_fields")
        if changed:
            if supplied:
                supporter.supplied = {**supporter.supplied, **supplied}
            extra = ["supplied"] if supplied else []
            supporter.save(update_fields=[*changed, *extra, "updated_at"])
            signals.announce(supporter.organization, [supporter.pk], created=False)
        if tags is not None and set_tags(supporter, tags, by=by):
            changed.append("tags")
        if changed:
            record_activity(
                supporter.person,
                supporter.organization,
                Activity.Kind.CHANGED,
                summary=", ".join(changed),
                source=source,
            )
    return changed
