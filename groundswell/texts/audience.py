"""Who a blast goes to: its audience's rules (tags, lists, saved searches) turned into
people and numbers, and the one filter that decides who may be texted at all.

Textable, the same in the count an organizer sees, when the recipients are fixed, and
again just before each text goes out:
- the organization may see them (Person.visible_to);
- they have an active SMS consent to it (people.models.consented, the one consent rule);
- no organization marked them "do not contact" or "safe only by" anything but phone
  (people.models.ContactRestriction: a text reaches whoever holds the phone);
- the organization's record of them holds a number that can take a text (a possible
  number that is not known to be a landline, toll-free, premium or a pager);
- that number is not on the suppression list for the organization: erased everywhere,
  erased from it, or withdrawn from it (people.actions.suppression).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import phonenumbers
from django.db.models import Exists, OuterRef, Q, QuerySet

from groundswell.organizations.models import Organization
from groundswell.people.actions import suppression
from groundswell.people.models import (
    Channel,
    ContactRestriction,
    ListMember,
    Person,
    PersonList,
    Supporter,
    Tag,
    Tagging,
    consented,
)
from groundswell.people.phones import normalize_phone
from groundswell.people.search.queries import search

KEYS = ("tags", "lists")
BATCH = 500
# Numbers that cannot take a text; UNKNOWN (a plausible number phonenumbers cannot
# place, like the 555 ones) is tried: the provider refuses what it cannot reach.
NOT_MOBILE = {
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.TOLL_FREE,
    phonenumbers.PhoneNumberType.PREMIUM_RATE,
    phonenumbers.PhoneNumberType.SHARED_COST,
    phonenumbers.PhoneNumberType.PAGER,
    phonenumbers.PhoneNumberType.VOICEMAIL,
    phonenumbers.PhoneNumberType.UAN,
}


def empty(audience: dict[str, Any]) -> bool:
    return not any(audience.get(key) for key in KEYS)


def _ids(audience: dict[str, Any], key: str) -> list[int]:
    return [int(v) for v in audience.get(key) or [] if str(v).isdigit()]


def _included(organization: Organization, audience: dict[str, Any]) -> Q:
    """People in any of the audience's groups; a group that is not the organization's
    (deleted, or forged) matches no one: an audience never silently widens."""
    parts: list[Q] = []
    tag_ids = _ids(audience, "tags")
    if tag_ids:
        tags = Tag.objects.filter(organization=organization, pk__in=tag_ids)
        parts.append(Q(Exists(Tagging.objects.filter(tag__in=tags, person=OuterRef("pk")))))
    lists = PersonList.objects.filter(organization=organization, pk__in=_ids(audience, "lists"))
    for person_list in lists:
        if person_list.kind == PersonList.Kind.SAVED:
            parts.append(Q(pk__in=search(organization, person_list.query).values("person_id")))
        else:
            members = ListMember.objects.filter(person_list=person_list, person=OuterRef("pk"))
            parts.append(Q(Exists(members)))
    combined = Q(pk__in=[])
    for part in parts:
        combined |= part
    return combined


def textable_people(organization: Organization) -> QuerySet[Person]:
    """People the organization may text, before their number is looked at."""
    restricted = ContactRestriction.objects.filter(person=OuterRef("pk")).exclude(
        kind=ContactRestriction.Kind.PHONE
    )
    return (
        Person.objects.visible_to(organization)
        .filter(consented(organization, Channel.SMS))
        .exclude(Exists(restricted))
    )


def mobile(raw: str) -> str | None:
    """The number in E.164 form when it can take a text, else None."""
    number = normalize_phone(raw)
    if number is None:
        return None
    parsed = phonenumbers.parse(number, None)
    if phonenumbers.number_type(parsed) in NOT_MOBILE:
        return None
    return number


def numbers(organization: Organization, people: QuerySet[Person]) -> Iterator[tuple[int, str]]:
    """(person id, number) for each of these people with a textable number on the
    organization's record, in person order; a number appears once."""
    rows = (
        Supporter.objects.filter(organization=organization, person__in=people.values("pk"))
        .exclude(phone="")
        .order_by("person_id")
        .values_list("person_id", "phone")
    )
    seen: set[str] = set()
    batch: list[tuple[int, str]] = []
    for person_id, raw in rows.iterator(chunk_size=BATCH):
        number = mobile(raw)
        if number and number not in seen:
            seen.add(number)
            batch.append((person_id, number))
        if len(batch) >= BATCH:
            yield from _unsuppressed(organization, batch)
            batch = []
    yield from _unsuppressed(organization, batch)


def _unsuppressed(
    organization: Organization, batch: list[tuple[int, str]]
) -> Iterator[tuple[int, str]]:
    if not batch:
        return
    refused = suppression.claims_refused(
        [suppression.phone_value(number) for _pk, number in batch], organization, Channel.SMS
    )
    for person_id, number in batch:
        if suppression.phone_value(number) not in refused:
            yield person_id, number


def people(organization: Organization, audience: dict[str, Any]) -> QuerySet[Person]:
    """The audience's textable people (none for an audience with no group)."""
    if empty(audience):
        return Person.objects.none()
    return textable_people(organization).filter(_included(organization, audience))


def recipients(organization: Organization, audience: dict[str, Any]) -> list[tuple[int, str]]:
    """(person id, number) for everyone a blast with this audience would text now."""
    return list(numbers(organization, people(organization, audience)))


def count(organization: Organization, audience: dict[str, Any]) -> int:
    """The exact number of texts a blast with this audience would send now."""
    return sum(1 for _row in numbers(organization, people(organization, audience)))


def still_textable(organization: Organization, person_id: int, number: str) -> bool:
    """Asked just before a text goes out: may this person be texted at this number?"""
    person = textable_people(organization).filter(pk=person_id)
    if not person.exists():
        return False
    return any(True for _row in _unsuppressed(organization, [(person_id, number)]))


def choices(organization: Organization) -> dict[str, list[tuple[str, str]]]:
    """The groups an organizer may pick from: tags, lists and saved searches."""
    return {
        "tags": [(str(t.pk), t.name) for t in Tag.objects.filter(organization=organization)],
        "lists": [
            (str(pl.pk), str(pl.name))
            for pl in PersonList.objects.filter(organization=organization)
        ],
    }
