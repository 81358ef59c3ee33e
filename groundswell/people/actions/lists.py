"""An organization's tags and lists of its supporters, for one person or very many."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from groundswell.organizations.models import Organization
from groundswell.people.models import (
    ListMember,
    Person,
    PersonList,
    Supporter,
    Tag,
    Tagging,
)

if TYPE_CHECKING:
    from groundswell.accounts.models import User


BATCH = 2000


def _batches(ids: Iterable[int]) -> Iterator[list[int]]:
    iterator = iter(ids)
    while batch := list(islice(iterator, BATCH)):
        yield batch


def person_ids(supporters: QuerySet[Supporter]) -> Iterator[int]:
    """The person ids of a (possibly huge) search, read in chunks."""
    return supporters.order_by().values_list("person_id", flat=True).iterator(chunk_size=BATCH)


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
