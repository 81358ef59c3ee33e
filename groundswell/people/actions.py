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
from django.db.models.functions import Lower
from django.utils import timezone

from groundswell.organizations.models import Organization
from groundswell.people import signals
from groundswell.people.addresses import normalize_email
from groundswell.people.models import (
    CONTACT_FIELDS,
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


def _holder(key: str, number: str | None) -> Person | None:
    """Whoever holds this normalized address (primary or other), else, without one, the
    person known by this number alone (no email address)."""
    if key:
        person = Person.objects.filter(email_normalized=key).first()
        if person is None:
            other = PersonEmail.objects.select_related("person").filter(normalized=key).first()
            person = other.person if other else None
        return person
    if not number:
        return None
    found = (
        PersonPhone.objects.select_related("person")
        .filter(_known_by_phone_alone(), number=number)
        .first()
    )
    return found.person if found else None


def _own_record(
    organization: Organization, *, email: str, key: str, number: str | None, holder: Person | None
) -> Supporter | None:
    """The organization's record of someone at this address (or, without one, this
    number) where it sees that address or number (Supporter.shows): the holder's first,
    then its other records of it (kept apart, or edited to it), oldest first."""
    rows = Supporter.objects.visible_to(organization).select_related("person")
    if key:
        near = Q(email_lower=email.strip().lower())
        if holder is not None:
            near |= Q(person=holder) | Q(person__holder=holder)
        found = [
            row
            for row in rows.alias(email_lower=Lower("email")).filter(near).order_by("pk")
            if row.email and normalize_email(row.email) == key and row.shows("email")
        ]
        found.sort(key=lambda row: holder is None or row.person_id != holder.pk)
        return found[0] if found else None
    if not number:
        return None
    return next(
        (row for row in rows.filter(phone=number).order_by("pk") if row.shows("phone")), None
    )


def _match(
    *, email: str, phone: str, organization: Organization | None
) -> tuple[Person | None, Person | None]:
    """(the person this input names or None, the holder to keep a new person apart
    from or None): the rules of record_person."""
    key = normalize_email(email) if email else ""
    number = None if key else normalize_phone(phone) if phone else None
    holder = _holder(key, number)
    if organization is None:
        return holder, None
    own = _own_record(organization, email=email, key=key, number=number, holder=holder)
    if own is not None:
        return own.person, None
    if (
        holder is not None
        and Supporter.objects.filter(person=holder, organization=organization).exists()
    ):
        return None, holder
    return holder, None


def find_person(
    *, email: str = "", phone: str = "", organization: Organization | None = None
) -> Person | None:
    """The person this input names, by the identity rules of record_person: by email
    (primary or other) when one is given, else by phone (someone known by that number
    alone). With `organization`, the input is that organization's own: its own record
    of whoever it sees at that address or number comes first, and None also stands for
    someone it knows without seeing that address (record_person keeps them apart)."""
    return _match(email=email, phone=phone, organization=organization)[0]


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
    - Without one, the phone number: a person known by that number alone (no email
      address). A number first seen with an email address matches no one from
      elsewhere: typing a phone number must not route one organization's data to
      another's contact.
    - Input never adds an email address or a phone number to an existing person:
      typed by an organizer it is unverified, and an address added to someone else
      would receive their data. A phone number is kept only on a new person known by
      it alone (and only if no one has it yet); the organization's Supporter row holds
      it anyway.

    With `organization`, the input is that organization's own (typed by its organizer,
    imported, sent over its API), and what it is told back must not depend on whom it
    names elsewhere:

    - its own record of someone at that address (or number) comes first, where it
      sees that address there (Supporter.shows): nothing it could not see is revealed;
    - else whoever holds the address, if the organization does not know them yet: its
      new record holds only what it typed, so it learns nothing;
    - else it knows them, but without seeing that address (a co-sponsored signer who
      did not agree to hear from it, someone who unsubscribed): a new person, kept
      apart from them (`Person.holder`). Found, their record would join the address to
      a name and ZIP code the organization was never given with it, and the answer
      would differ from the one for an address nobody holds.

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
        person, holder = _match(email=email_given, phone=phone_given, organization=organization)
        if person is None and holder is not None:
            # Kept apart: no identity of its own (the address and number are the
            # holder's), known only through the organization's record.
            return Person.objects.create(
                email=email.strip() if key else "", holder=holder, language=language, **given
            )
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
    Callers pass contact fields only where the organization may hold them: given to it
    with consent (petitions.records.fields_of), or supplied by it (link_supplied).
    """
    return _link(person, organization, source=source, fields=fields, supplied=False)


def link_supplied(
    person: Person, organization: Organization, *, source: str, **fields: str
) -> Supporter:
    """As link, for what the organization supplied itself (typed by its organizer, sent
    over its API): the contact fields it writes are marked as its own
    (Supporter.supplied), and it always sees them."""
    return _link(person, organization, source=source, fields=fields, supplied=True)


def _link(
    person: Person,
    organization: Organization,
    *,
    source: str,
    fields: dict[str, str],
    supplied: bool,
) -> Supporter:
    given = {name: (value or "").strip() for name, value in fields.items() if value}
    unknown = set(given) - set(SUPPORTER_FIELDS)
    if unknown:
        raise ValueError(f"not supporter fields: {sorted(unknown)}")
    if "phone" in given:
        given["phone"] = normalize_phone(given["phone"]) or ""
    marks = {name: source for name in CONTACT_FIELDS if given.get(name)} if supplied else {}
    supporter, created = Supporter.objects.get_or_create(
        person=person,
        organization=organization,
        defaults={"source": source, "supplied": marks, **given},
    )
    if created:
        signals.announce(organization, [supporter.pk], created=True)
    else:
        blank = [name for name, value in given.items() if value and not getattr(supporter, name)]
        for name in blank:
            setattr(supporter, name, given[name])
        filled = {name: mark for name, mark in marks.items() if name in blank}
        if filled:
            supporter.supplied = {**supporter.supplied, **filled}
        if blank:
            supporter.save(update_fields=[*blank, *(["supplied"] if filled else []), "updated_at"])
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
    own unsubscribe. Nor does it for a person kept apart (record_person) whose holder
    withdrew: that consent is recorded as withdrawn already, the address's true status.
    """
    now = timezone.now()
    with transaction.atomic():
        supporter = link(person, organization, source=source)
        defaults: dict[str, Any] = {"granted_at": now, "source": source}
        if claimed and person.holder_id is not None:
            withdrawn = holders_withdrawals(organization, channel, [person.holder_id])
            if person.holder_id in withdrawn:
                defaults.update(withdrawn_at=now, withdrawn_source=withdrawn[person.holder_id])
        consent, created = Consent.objects.get_or_create(
            person=person,
            organization=organization,
            channel=channel,
            defaults=defaults,
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
        if (created and consent.withdrawn_at is None) or renewed:
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


def holders_withdrawals(
    organization: Organization, channel: str, holder_ids: Iterable[int]
) -> dict[int, str]:
    """Of these people, those who withdrew their consent to the organization on the
    channel, each with how: a consent the organization claims for someone kept apart
    from them (record_person) is recorded as withdrawn already (grant_consent, imports)."""
    return dict(
        Consent.objects.filter(
            organization=organization,
            channel=channel,
            person_id__in=list(holder_ids),
            withdrawn_at__isnull=False,
        ).values_list("person_id", "withdrawn_source")
    )


def withdraw_consent(
    person: Person,
    organization: Organization,
    *,
    source: str,
    channel: str = Channel.EMAIL,
    by_person: bool = False,
) -> bool:
    """Withdraw the organization's consent on a channel everywhere; True if it changed.

    Withdrawn `by_person` (their own unsubscribe), it reaches the records the
    organization keeps apart of their addresses too (record_person): their word wins
    over whatever the organization typed. One the organization withdraws itself (over
    its API) stays on the record it named: otherwise its own records changing with it
    would tell it which of them are the same person.
    """
    people = [person.pk]
    if by_person:
        people += list(person.kept_apart.values_list("pk", flat=True))
    changed = 0
    with transaction.atomic():
        for pk in people:
            withdrawn = (
                Consent.objects.active()
                .filter(person_id=pk, organization=organization, channel=channel)
                .update(withdrawn_at=timezone.now(), withdrawn_source=source)
            )
            if not withdrawn:
                continue
            changed += withdrawn
            supporters = Supporter.objects.filter(person_id=pk, organization=organization)
            supporters.update(updated_at=timezone.now())
            signals.announce(
                organization, list(supporters.values_list("pk", flat=True)), created=False
            )
            Activity.objects.create(
                person_id=pk,
                organization=organization,
                kind=Activity.Kind.CONSENT_WITHDRAWN,
                summary=channel,
                source=source[:200],
            )
    return changed > 0


def withdraw_email_consent(person: Person, organization: Organization, *, source: str) -> bool:
    """The person's own unsubscribe from the organization's emails (their emailed link):
    withdrawn everywhere, the records it keeps apart of their addresses included;
    True if anything changed."""
    return withdraw_consent(
        person, organization, source=source, channel=Channel.EMAIL, by_person=True
    )


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
