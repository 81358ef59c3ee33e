"""Who a person is: matching an address or number to one person, and the organizations
that know them (a Supporter row each), with what each was given.

Every change of who may see a person goes through here, so that the rule in
`Person.objects.visible_to` stays true: a Supporter row exists exactly when an
organization came to know the person through its own action, import or consent.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Lower
from django.utils import timezone

from groundswell.organizations.models import Organization
from groundswell.people import signals
from groundswell.people.actions import suppression
from groundswell.people.addresses import normalize_email
from groundswell.people.models import (
    CONTACT_FIELDS,
    Activity,
    Person,
    PersonEmail,
    PersonPhone,
    Supporter,
)
from groundswell.people.phones import normalize_phone

if TYPE_CHECKING:
    pass


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

    The organization's input may not bring back someone who erased their data
    (people.actions.suppression): it raises Suppressed, the same for every caller and
    whichever organization knew them.
    """
    key = normalize_email(email) if email else ""
    number = normalize_phone(phone) if phone else None
    if not key and not number:
        raise ValueError("a person needs an email address or a phone number")
    if organization is not None:
        suppression.check(organization, key=key, number=None if key else number)
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
            if {"address", "city", "state", "zip_code"} & set(changed):
                # Where they live is new: the worker places them again (people.wards).
                person.district, person.district_precision, person.located_at = None, "", None
                changed += ["district", "district_precision", "located_at"]
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


def record_people(rows: Iterable[dict[str, str]]) -> dict[str, Person]:
    """The bulk variant of record_person for trusted, clean rows (a demo, a migration):
    the people these emails name, created where missing, by normalized email. Rows hold
    email, first_name, last_name, zip_code and language; nothing is filled in on people
    who exist, and no organization comes to know anyone here (that is `link`'s). An
    address erased everywhere (people.actions.suppression) is left out of the result:
    a bulk load is not the person's own new action."""
    by_key = {normalize_email(row["email"]): row for row in rows}
    erased = suppression.blocked([suppression.email_value(k) for k in by_key], None)
    by_key = {k: row for k, row in by_key.items() if suppression.email_value(k) not in erased}
    people = _people_by_email(list(by_key))
    missing = [
        Person(
            email=row["email"],
            email_normalized=key,
            first_name=row.get("first_name", ""),
            last_name=row.get("last_name", ""),
            zip_code=row.get("zip_code", ""),
            language=row.get("language", "en"),
        )
        for key, row in by_key.items()
        if key not in people
    ]
    if missing:
        Person.objects.bulk_create(missing, batch_size=1000, ignore_conflicts=True)
        people = _people_by_email(list(by_key))
    return people


def _people_by_email(keys: list[str]) -> dict[str, Person]:
    people: dict[str, Person] = {}
    for i in range(0, len(keys), 500):  # under every database's parameter limit
        for person in Person.objects.filter(email_normalized__in=keys[i : i + 500]):
            people[person.email_normalized or ""] = person
    return people
