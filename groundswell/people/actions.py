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
from django.utils import timezone

from groundswell.organizations.models import Organization
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


def find_person(*, email: str = "", phone: str = "") -> Person | None:
    """The person with this email (primary or other) or, failing that, this phone."""
    if email:
        key = normalize_email(email)
        person = Person.objects.filter(email_normalized=key).first()
        if person is None:
            other = PersonEmail.objects.select_related("person").filter(normalized=key).first()
            person = other.person if other else None
        if person is not None:
            return person
    number = normalize_phone(phone) if phone else None
    if number:
        found = PersonPhone.objects.select_related("person").filter(number=number).first()
        if found is not None:
            return found.person
    return None


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
) -> Person:
    """Find the person by normalized email (then phone), or create them.

    For a known person only blank fields are filled in: whoever types someone's email
    address into a form must not be able to rewrite that person's name or address.
    A new phone number or email address is added to them.
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
    with transaction.atomic():
        person = find_person(email=email, phone=phone)
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
                person = find_person(email=email, phone=phone)
                if person is None:
                    raise
        else:
            person = Person.objects.select_for_update().get(pk=person.pk)
            changed = [f for f in FILLABLE if not getattr(person, f) and given[f]]
            for field in changed:
                setattr(person, field, given[field])
            if key and person.email_normalized != key:
                if person.email_normalized is None:
                    person.email, person.email_normalized = email.strip(), key
                    changed += ["email", "email_normalized"]
                else:
                    PersonEmail.objects.get_or_create(
                        normalized=key, defaults={"person": person, "address": email.strip()}
                    )
            if changed:
                person.save(update_fields=[*changed, "updated_at"])
        if number:
            PersonPhone.objects.get_or_create(number=number, defaults={"person": person})
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
    if not created:
        blank = [name for name, value in given.items() if value and not getattr(supporter, name)]
        for name in blank:
            setattr(supporter, name, given[name])
        if blank:
            supporter.save(update_fields=[*blank, "updated_at"])
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
) -> Consent:
    """Record (or renew) the person's consent to the organization on one channel.

    `given_at` is when the person gave it (e.g. ticked a box before confirming); a
    withdrawal made after that moment wins, and the consent is not renewed.
    """
    now = timezone.now()
    with transaction.atomic():
        link(person, organization, source=source)
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
        renewed = not created and consent.withdrawn_at is not None and not withdrawn_later
        if renewed:
            consent.granted_at = now
            consent.source = source
            consent.withdrawn_at = None
            consent.withdrawn_source = ""
            consent.save()
        if created or renewed:
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
