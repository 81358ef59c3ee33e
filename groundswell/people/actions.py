"""Writes about people: matching, the organizations that know them, consent, the
organization's own record of each (added by hand, edited), tags and lists.

Every change of who may see or contact a person goes through here, so that the rule in
`Person.objects.visible_to` stays true: a Supporter row exists exactly when an
organization came to know the person through its own action, import or consent.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from groundswell.organizations.models import Organization
from groundswell.people import signals
from groundswell.people.addresses import normalize_email
from groundswell.people.models import (
    Activity,
    Channel,
    Consent,
    ListMember,
    Person,
    PersonEmail,
    PersonList,
    PersonPhone,
    Supporter,
    Tag,
    Tagging,
)
from groundswell.people.phones import normalize_phone

if TYPE_CHECKING:
    from groundswell.accounts.models import User

# Fields a later action may fill in when blank, never overwrite (see record_person).
FILLABLE = ("first_name", "last_name", "address", "city", "state", "zip_code")


def _known_by_phone_alone() -> Q:
    """People with no email address: a phone number can say who they are."""
    return Q(person__email_normalized__isnull=True) & ~Q(
        Exists(PersonEmail.objects.filter(person=OuterRef("person")))
    )


def find_person(
    *, email: str = "", phone: str = "", organization: Organization | None = None
) -> Person | None:
    """The person this input names, by the identity rules of record_person: by email
    (primary or other) when one is given, else by phone (the organization's own record
    of that number, then someone known by that number alone)."""
    if email:
        key = normalize_email(email)
        person = Person.objects.filter(email_normalized=key).first()
        if person is None:
            other = PersonEmail.objects.select_related("person").filter(normalized=key).first()
            person = other.person if other else None
        return person
    number = normalize_phone(phone) if phone else None
    if not number:
        return None
    if organization is not None:
        own = (
            Supporter.objects.filter(organization=organization, phone=number)
            .select_related("person")
            .order_by("pk")
            .first()
        )
        if own is not None:
            return own.person
    found = (
        PersonPhone.objects.select_related("person")
        .filter(_known_by_phone_alone(), number=number)
        .first()
    )
    return found.person if found else None


def record_person(
    *,
    email: str = "",
    phone: str = "",
    first_name: str = "",
    last_name: str = "",
    zip_code: str = "",
    address: str = "",
    city: str = "",
    state: str = "",
    language: str = "en",
    organization: Organization | None = None,
) -> Person:
    """Find the person this input names, or create them.

    The identity rules, the same for every caller (a confirmed signature, an
    organizer's form, an import), since whoever holds a Person's email address can
    ask for everything every organization knows about them (people.rights):

    - Given an email address, the person is whoever has it; if nobody does, a new
      person with that address. A phone number never decides who they are then.
    - Without one, the phone number: the `organization`'s own record of someone with
      that number, else a person known by that number alone (no email address). A
      number first seen with an email address matches no one from elsewhere: typing
      a phone number must not route one organization's data to another's contact.
    - Input never adds an email address or a phone number to an existing person:
      typed by an organizer it is unverified, and an address added to someone else
      would receive their data. A phone number is kept only on a new person known by
      it alone (and only if no one has it yet); the organization's Supporter row holds
      it anyway.

    For a known person only blank fields are filled in: whoever types someone's email
    address into a form must not be able to rewrite that person's name or address.
    """
    key = normalize_email(email) if email else ""
    number = normalize_phone(phone) if phone else None
    if not key and not number:
        raise ValueError("a person needs an email address or a phone number")
    given = {
        "first_name": first_name,
        "last_name": last_name,
        "zip_code": zip_code,
        "address": address,
        "city": city,
        "state": state,
    }
    email_given = email if key else ""
    phone_given = "" if key else phone
    with transaction.atomic():
        person = find_person(email=email_given, phone=phone_given, organization=organization)
        if person is None:
            try:
                with transaction.atomic():
                    person = Person.objects.create(
                        email=email.strip() if key else "",
                        email_normalized=key or None,
                        language=language,
                        **given,
                    )
            except IntegrityError:
                # Someone else created them a moment ago.
                person = find_person(email=email_given, phone=phone_given)
                if person is None:
                    raise
            else:
                if not key and number:
                    # A number already held (by someone first seen with an address) stays theirs.
                    PersonPhone.objects.bulk_create(
                        [PersonPhone(person=person, number=number)], ignore_conflicts=True
                    )
        else:
            person = Person.objects.select_for_update().get(pk=person.pk)
            changed = [f for f in FILLABLE if not getattr(person, f) and given[f]]
            for field in changed:
                setattr(person, field, given[field])
            if changed:
                person.save(update_fields=[*changed, "updated_at"])
    return person


SUPPORTER_FIELDS = (
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


def link(person: Person, organization: Organization, *, source: str, **fields: str) -> Supporter:
    """Make the person visible to the organization (they acted on its action, were
    imported by it, or consented to it), with what this action told it about them.

    The first source is kept; later actions fill in blank fields only (see
    record_person for why). `fields` are SUPPORTER_FIELDS; a phone is stored in E.164.
    Callers pass contact fields only where the organization may hold them: typed by
    its own organizers, or given to it with consent (petitions.records.fields_of).
    """
    given = {name: (value or "").strip() for name, value in fields.items() if value}
    unknown = set(given) - set(SUPPORTER_FIELDS)
    if unknown:
        raise ValueError(f"not supporter fields: {sorted(unknown)}")
    if "phone" in given:
        given["phone"] = normalize_phone(given["phone"]) or ""
    supporter, created = Supporter.objects.get_or_create(
        person=person, organization=organization, defaults={"source": source, **given}
    )
    if created:
        signals.announce(organization, [supporter.pk], created=True)
    else:
        blank = [name for name, value in given.items() if value and not getattr(supporter, name)]
        for name in blank:
            setattr(supporter, name, given[name])
        if blank:
            supporter.save(update_fields=[*blank, "updated_at"])
            signals.announce(organization, [supporter.pk], created=False)
    return supporter


def add_supporters(rows: Iterable[Supporter]) -> int:
    """Many new Supporter rows at once (a co-sponsor joining, an import); rows for people
    the organization already knows are left as they are. Returns how many were new."""
    created = Supporter.objects.bulk_create(list(rows), batch_size=1000, ignore_conflicts=True)
    return len(created)


def record_activity(
    person: Person,
    organization: Organization | None,
    kind: str,
    *,
    summary: str = "",
    source: str = "",
    at: datetime.datetime | None = None,
) -> Activity:
    """Add a stored entry to the person's timeline."""
    return Activity.objects.create(
        person=person,
        organization=organization,
        kind=kind,
        summary=summary[:300],
        source=source[:200],
        occurred_at=at or timezone.now(),
    )


def grant_consent(
    person: Person,
    organization: Organization,
    *,
    source: str,
    given_at: datetime.datetime | None = None,
    channel: str = Channel.EMAIL,
    claimed: bool = False,
) -> Consent:
    """Record (or renew) the person's consent to the organization on one channel.

    `given_at` is when the person gave it (e.g. ticked a box before confirming); a
    withdrawal made after that moment wins, and the consent is not renewed. A consent
    `claimed` by the organization on the person's behalf (typed in by an organizer, sent
    over the API) never renews one the person withdrew: only the person can undo their
    own unsubscribe.
    """
    now = timezone.now()
    with transaction.atomic():
        supporter = link(person, organization, source=source)
        consent, created = Consent.objects.get_or_create(
            person=person,
            organization=organization,
            channel=channel,
            defaults={"granted_at": now, "source": source},
        )
        withdrawn_later = (
            consent.withdrawn_at is not None
            and given_at is not None
            and consent.withdrawn_at > given_at
        )
        renewed = (
            not created and consent.withdrawn_at is not None and not withdrawn_later and not claimed
        )
        if renewed:
            consent.granted_at = now
            consent.source = source
            consent.withdrawn_at = None
            consent.withdrawn_source = ""
            consent.save()
        if created or renewed:
            # An incremental sync (the API's modified_date) must see consent changes.
            Supporter.objects.filter(person=person, organization=organization).update(
                updated_at=now
            )
            signals.announce(organization, [supporter.pk], created=False)
            record_activity(
                person,
                organization,
                Activity.Kind.CONSENT_GIVEN,
                summary=channel,
                source=source,
            )
    return consent


def withdraw_consent(
    person: Person, organization: Organization, *, source: str, channel: str = Channel.EMAIL
) -> bool:
    """Withdraw the organization's consent on a channel everywhere; True if it changed."""
    with transaction.atomic():
        changed = (
            Consent.objects.active()
            .filter(person=person, organization=organization, channel=channel)
            .update(withdrawn_at=timezone.now(), withdrawn_source=source)
        )
        if changed:
            supporters = Supporter.objects.filter(person=person, organization=organization)
            supporters.update(updated_at=timezone.now())
            signals.announce(
                organization, list(supporters.values_list("pk", flat=True)), created=False
            )
            record_activity(
                person,
                organization,
                Activity.Kind.CONSENT_WITHDRAWN,
                summary=channel,
                source=source,
            )
    return changed > 0


def withdraw_email_consent(person: Person, organization: Organization, *, source: str) -> bool:
    """Withdraw the organization's email consent everywhere; True if anything changed."""
    return withdraw_consent(person, organization, source=source, channel=Channel.EMAIL)


def get_or_create_tag(organization: Organization, name: str) -> Tag:
    name = " ".join(name.split())[:100]
    tag = Tag.objects.filter(organization=organization, name__iexact=name).first()
    if tag is None:
        try:
            with transaction.atomic():
                tag = Tag.objects.create(organization=organization, name=name)
        except IntegrityError:
            tag = Tag.objects.get(organization=organization, name__iexact=name)
    return tag


def tag_people(tag: Tag, person_ids: Iterable[int], *, by: User | None = None) -> int:
    """Tag people (only those the tag's organization sees), a batch at a time, however
    many; returns how many were newly tagged."""
    added = 0
    for batch in _batches(person_ids):
        visible = Person.objects.visible_to(tag.organization).filter(pk__in=batch)
        rows = [
            Tagging(tag=tag, person_id=pk, created_by=by)
            for pk in visible.values_list("pk", flat=True)
        ]
        before = Tagging.objects.filter(tag=tag, person_id__in=batch).count()
        Tagging.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
        added += Tagging.objects.filter(tag=tag, person_id__in=batch).count() - before
    return added


def untag_people(tag: Tag, person_ids: Iterable[int]) -> int:
    """Take the tag off these people, a batch at a time; returns how many."""
    removed = 0
    for batch in _batches(person_ids):
        deleted, _ = Tagging.objects.filter(tag=tag, person_id__in=batch).delete()
        removed += deleted
    return removed


# --- The organization's own record: adding by hand, editing, tags and lists ------------

BATCH = 2000
ADDED_BY_HAND = "manual"
# The organization's record of a person that an organizer may edit.
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
# Shown, exported and editable only with the person's consent to be contacted.
CONTACT_FIELDS = ("email", "phone", "address", "city")


@dataclass(frozen=True)
class Added:
    supporter: Supporter
    already_known: bool  # the organization already had them among its supporters


def _batches(ids: Iterable[int]) -> Iterator[list[int]]:
    iterator = iter(ids)
    while batch := list(islice(iterator, BATCH)):
        yield batch


def person_ids(supporters: QuerySet[Supporter]) -> Iterator[int]:
    """The person ids of a (possibly huge) search, read in chunks."""
    return supporters.order_by().values_list("person_id", flat=True).iterator(chunk_size=BATCH)


def add_person(
    organization: Organization,
    *,
    fields: dict[str, str],
    consent_to_email: bool,
    consent_note: str = "",
    tags: Iterable[str] = (),
    custom_fields: dict[str, str] | None = None,
    by: User | None = None,
) -> Added:
    """Add someone the organization met (at a meeting, on the phone) to its supporters.

    The person is matched like everyone else (people.actions.record_person: by email,
    else by phone; what the organizer typed is never added to someone found), and the
    organization's record holds only what its organizer typed: if the person is known
    to other organizations, nothing of theirs is read or shown. Consent to email is
    recorded only when the organizer states the person gave it, and so only ever makes
    visible what this organization itself was given.
    """
    given = {name: value for name, value in fields.items() if name in EDITABLE and value}
    with transaction.atomic():
        person = record_person(
            **{name: value for name, value in given.items() if name != "language"},
            language=given.get("language") or "en",
            organization=organization,
        )
        already_known = Supporter.objects.filter(person=person, organization=organization).exists()
        supporter = link(person, organization, source=ADDED_BY_HAND, **given)
        if custom_fields:
            supporter.custom_fields = {**custom_fields, **supporter.custom_fields}
            supporter.save(update_fields=["custom_fields", "updated_at"])
        if consent_to_email:
            source = f"{ADDED_BY_HAND}: {consent_note}" if consent_note else ADDED_BY_HAND
            grant_consent(person, organization, source=source[:200], claimed=True)
        for name in tags:
            tag_people(get_or_create_tag(organization, name), [person.pk], by=by)
    return Added(supporter, already_known)


def update_supporter(
    supporter: Supporter,
    *,
    changes: dict[str, Any],
    tags: Iterable[str] | None = None,
    custom_fields: dict[str, str] | None = None,
    by: User | None = None,
) -> list[str]:
    """Change the organization's record of a supporter; returns the names of what
    changed (fields, "tags", "custom_fields"), for the timeline and the audit log.

    Only this organization's Supporter row, tags and custom fields change: the Person
    and other organizations' records stay as they are.
    """
    changed: list[str] = []
    with transaction.atomic():
        supporter = Supporter.objects.select_for_update().get(pk=supporter.pk)
        for name, value in changes.items():
            if name not in EDITABLE:
                raise ValueError(f"not an editable supporter field: {name}")
            if name == "phone" and value:
                value = normalize_phone(value) or value
            if getattr(supporter, name) != value:
                setattr(supporter, name, value)
                changed.append(name)
        if custom_fields is not None and custom_fields != supporter.custom_fields:
            supporter.custom_fields = custom_fields
            changed.append("custom_fields")
        if changed:
            supporter.save(update_fields=[*changed, "updated_at"])
            signals.announce(supporter.organization, [supporter.pk], created=False)
        if tags is not None and set_tags(supporter, tags, by=by):
            changed.append("tags")
        if changed:
            record_activity(
                supporter.person,
                supporter.organization,
                Activity.Kind.CHANGED,
                summary=", ".join(changed),
                source=ADDED_BY_HAND,
            )
    return changed


def set_tags(supporter: Supporter, names: Iterable[str], *, by: User | None = None) -> bool:
    """Give the supporter exactly these of the organization's tags (new ones created);
    True if anything changed."""
    organization = supporter.organization
    wanted = {get_or_create_tag(organization, name).pk for name in names if name.strip()}
    current = set(
        Tagging.objects.filter(
            person=supporter.person_id, tag__organization=organization
        ).values_list("tag_id", flat=True)
    )
    for tag in Tag.objects.filter(pk__in=wanted - current):
        tag_people(tag, [supporter.person_id], by=by)
    removed = current - wanted
    if removed:
        Tagging.objects.filter(person=supporter.person_id, tag_id__in=removed).delete()
    return bool(wanted - current or removed)


def rename_tag(tag: Tag, name: str) -> Tag:
    tag.name = " ".join(name.split())[:100]
    tag.save(update_fields=["name"])
    return tag


def delete_tag(tag: Tag) -> None:
    """Delete the tag and take it off everyone (their records stay)."""
    tag.delete()


def create_list(
    organization: Organization,
    name: str,
    *,
    kind: str = PersonList.Kind.STATIC,
    query: dict[str, Any] | None = None,
    by: User | None = None,
) -> PersonList:
    """A new static list, or a saved search (`query`: people.search parameters, without
    the free text `q`: a name or address stored there would outlive the person's erasure)."""
    if query and query.get("q"):
        raise ValueError("a saved search does not keep the text searched for")
    return PersonList.objects.create(
        organization=organization,
        name=" ".join(name.split())[:200],
        kind=kind,
        query=query or {},
        created_by=by,
    )


def add_to_list(person_list: PersonList, ids: Iterable[int]) -> int:
    """Add people the list's organization sees to a static list; returns how many new."""
    if person_list.kind != PersonList.Kind.STATIC:
        raise ValueError("people are added to static lists only")
    added = 0
    visible = Person.objects.visible_to(person_list.organization)
    for batch in _batches(ids):
        people = set(visible.filter(pk__in=batch).values_list("pk", flat=True))
        people -= set(
            person_list.members.filter(person_id__in=people).values_list("person_id", flat=True)
        )
        rows = [ListMember(person_list=person_list, person_id=pk) for pk in people]
        added += len(ListMember.objects.bulk_create(rows, ignore_conflicts=True))
    return added


def remove_from_list(person_list: PersonList, ids: Iterable[int]) -> int:
    removed = 0
    for batch in _batches(ids):
        deleted, _ = ListMember.objects.filter(
            person_list=person_list, person_id__in=batch
        ).delete()
        removed += deleted
    return removed


def delete_list(person_list: PersonList) -> None:
    """Delete the list (or saved search); the people on it stay supporters."""
    person_list.delete()
