"""Writes about people: matching, the organizations that know them, consent, tags.

Every change of who may see or contact a person goes through here, so that the rule in
`Person.objects.visible_to` stays true: a Supporter row exists exactly when an
organization came to know the person through its own action, import or consent.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from groundswell.organizations.models import Organization
from groundswell.people import signals
from groundswell.people.emails import normalize_email
from groundswell.people.models import (
    Activity,
    Channel,
    Consent,
    Person,
    PersonEmail,
    PersonPhone,
    Supporter,
    Tag,
    Tagging,
)
from groundswell.people.phones import normalize_phone

if TYPE_CHECKING:
    from groundswell.accounts.models import User

UNSUBSCRIBE_SALT = "groundswell.people.unsubscribe"

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
    its own organizers, or given to it with consent (petitions.supporters.fields_of).
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
    """Tag people (only those visible to the tag's organization); returns how many new."""
    visible = set(
        Person.objects.visible_to(tag.organization)
        .filter(pk__in=list(person_ids))
        .values_list("pk", flat=True)
    )
    rows = [Tagging(tag=tag, person_id=pk, created_by=by) for pk in visible]
    return len(Tagging.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True))


def untag_people(tag: Tag, person_ids: Iterable[int]) -> int:
    deleted, _ = Tagging.objects.filter(tag=tag, person_id__in=list(person_ids)).delete()
    return deleted


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
