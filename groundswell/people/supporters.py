"""Organizers' writes about their own supporters: adding someone by hand, editing the
organization's record of them, tags and lists applied to many at once.

Each write touches only the organization's own rows (its Supporter, its tags, its
lists); what another organization knows about the same person is never read here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import QuerySet

from groundswell.organizations.models import Organization
from groundswell.people import actions, signals
from groundswell.people.models import (
    Activity,
    ListMember,
    Person,
    PersonList,
    Supporter,
    Tag,
    Tagging,
)
from groundswell.people.phones import normalize_phone

if TYPE_CHECKING:
    from groundswell.accounts.models import User

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
        person = actions.record_person(
            **{name: value for name, value in given.items() if name != "language"},
            language=given.get("language") or "en",
            organization=organization,
        )
        already_known = Supporter.objects.filter(person=person, organization=organization).exists()
        supporter = actions.link(person, organization, source=ADDED_BY_HAND, **given)
        if custom_fields:
            supporter.custom_fields = {**custom_fields, **supporter.custom_fields}
            supporter.save(update_fields=["custom_fields", "updated_at"])
        if consent_to_email:
            source = f"{ADDED_BY_HAND}: {consent_note}" if consent_note else ADDED_BY_HAND
            actions.grant_consent(person, organization, source=source[:200], claimed=True)
        for name in tags:
            actions.tag_people(actions.get_or_create_tag(organization, name), [person.pk], by=by)
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
            actions.record_activity(
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
    wanted = {actions.get_or_create_tag(organization, name).pk for name in names if name.strip()}
    current = set(
        Tagging.objects.filter(
            person=supporter.person_id, tag__organization=organization
        ).values_list("tag_id", flat=True)
    )
    for tag in Tag.objects.filter(pk__in=wanted - current):
        actions.tag_people(tag, [supporter.person_id], by=by)
    removed = current - wanted
    if removed:
        Tagging.objects.filter(person=supporter.person_id, tag_id__in=removed).delete()
    return bool(wanted - current or removed)


def tag_many(tag: Tag, ids: Iterable[int], *, by: User | None = None) -> int:
    """Tag every one of these people the tag's organization sees; returns how many new."""
    before = tag.taggings.count()
    for batch in _batches(ids):
        actions.tag_people(tag, batch, by=by)
    return tag.taggings.count() - before


def untag_many(tag: Tag, ids: Iterable[int]) -> int:
    return sum(actions.untag_people(tag, batch) for batch in _batches(ids))


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
