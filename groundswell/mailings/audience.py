"""Who a mailing goes to: its audience's rules turned into people, and the one filter
that decides who may be mailed at all.

Rules, stored on the mailing as JSON: tags, lists (a saved search is a list too, and is
run as people.search runs it), and actions people took (a petition's signers, an
event's RSVPs, a campaign's sign-ons, the volunteers: people.registry's actions); each
with its exclusions. A person in any included group and in no excluded one is in the
audience.

Mailable (`mailable`) is the same everywhere, in the count an organizer sees, when the
recipients are fixed, and again when each email is built: the organization may see
them (people.models.Person.visible_to), they have an active email consent to it
(people.models.consented, the one consent rule), an address, and it is not
undeliverable (a hard bounce, a complaint, repeated soft bounces: mailings.bounces).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from groundswell.mailings.models import Undeliverable
from groundswell.organizations.models import Organization
from groundswell.people import registry
from groundswell.people.models import (
    Channel,
    ListMember,
    Person,
    PersonList,
    Tag,
    Tagging,
    consented,
)
from groundswell.people.search.queries import search

KEYS = ("tags", "lists", "actions")


def empty(audience: dict[str, Any]) -> bool:
    """True when the audience includes no group at all."""
    return not any(audience.get(key) for key in KEYS)


def _group(organization: Organization, audience: dict[str, Any], prefix: str) -> Q | None:
    """People in any of the groups under `prefix` ("" or "exclude_"), as a Q on Person;
    None when no group is named. A group that is not the organization's (deleted, or
    forged) matches no one: an audience never silently widens."""
    parts: list[Q] = []
    tags = Tag.objects.filter(organization=organization, pk__in=_ids(audience, f"{prefix}tags"))
    if _ids(audience, f"{prefix}tags"):
        parts.append(Q(Exists(Tagging.objects.filter(tag__in=tags, person=OuterRef("pk")))))
    list_ids = _ids(audience, f"{prefix}lists")
    for person_list in PersonList.objects.filter(organization=organization, pk__in=list_ids):
        if person_list.kind == PersonList.Kind.SAVED:
            found = search(organization, person_list.query).values("person_id")
            parts.append(Q(pk__in=found))
        else:
            parts.append(
                Q(Exists(ListMember.objects.filter(person_list=person_list, person=OuterRef("pk"))))
            )
    for key in audience.get(f"{prefix}actions") or []:
        people = registry.people_who(str(key), organization)
        parts.append(Q(pk__in=people) if people is not None else Q(pk__in=[]))
    if not any(audience.get(f"{prefix}{key}") for key in KEYS):
        return None
    if not parts:
        return Q(pk__in=[])
    combined = parts[0]
    for part in parts[1:]:
        combined |= part
    return combined


def _ids(audience: dict[str, Any], key: str) -> list[int]:
    return [int(v) for v in audience.get(key) or [] if str(v).isdigit()]


def mailable(organization: Organization) -> QuerySet[Person]:
    """Everyone the organization may email now (see the module's docstring)."""
    return (
        Person.objects.visible_to(organization)
        .filter(consented(organization, Channel.EMAIL))
        .exclude(email="")
        .exclude(
            Exists(Undeliverable.objects.filter(person=OuterRef("pk"), blocked_at__isnull=False))
        )
    )


def people(organization: Organization, audience: dict[str, Any]) -> QuerySet[Person]:
    """The audience's mailable people (none for an audience with no group)."""
    included = _group(organization, audience, "")
    if included is None:
        return Person.objects.none()
    found = mailable(organization).filter(included)
    excluded = _group(organization, audience, "exclude_")
    if excluded is not None:
        found = found.exclude(excluded)
    return found


def count(organization: Organization, audience: dict[str, Any]) -> int:
    """The exact number of people a mailing with this audience would go to now."""
    return people(organization, audience).count()


def choices(organization: Organization) -> dict[str, list[tuple[str, str]]]:
    """The groups an organizer may pick from: tags, lists and saved searches, actions."""
    return {
        "tags": [(str(t.pk), t.name) for t in Tag.objects.filter(organization=organization)],
        "lists": [
            (str(pl.pk), str(pl.name))
            for pl in PersonList.objects.filter(organization=organization)
        ],
        "actions": registry.action_choices(organization),
    }
