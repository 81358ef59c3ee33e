"""Lists (static lists and saved searches) and their items, and the organization's
metadata: its custom fields."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Subquery

from groundswell.api import filters
from groundswell.api.hal import collection, date, identifiers
from groundswell.api.http import Api, Body, not_found, object_id
from groundswell.people.models import ListMember, PersonList, Supporter
from groundswell.people.search import queries as search

FIELDS = {
    "modified_date": filters.date_field("updated_at"),
    "created_date": filters.date_field("created_at"),
    "identifiers": filters.identifier_field(),
}
ITEM_FIELDS = {
    "created_date": filters.date_field("created_at"),
    "modified_date": filters.date_field("updated_at"),
    "identifiers": filters.identifier_field(),
}


def represent(api: Api, person_list: PersonList) -> Body:
    return {
        "identifiers": identifiers(person_list.pk),
        "created_date": date(person_list.created_at),
        "modified_date": date(person_list.updated_at),
        "name": person_list.name,
        "title": person_list.name,
        "groundswell:kind": person_list.kind,
        "_links": {
            "self": {"href": api.href("lists", person_list.pk)},
            "osdi:items": {"href": api.href("lists", person_list.pk, "items")},
        },
    }


def list_of(api: Api, pk: str) -> PersonList:
    found = PersonList.objects.filter(
        organization=api.organization, pk=object_id(pk, "list")
    ).first()
    if found is None:
        raise not_found("list")
    return found


def members(api: Api, person_list: PersonList) -> Any:
    """The list's people as the organization's supporters (an item's id is the
    supporter's); a saved search is run as the People area runs it."""
    if person_list.kind == PersonList.Kind.SAVED:
        return search.search(api.organization, person_list.query).order_by()
    on_list = ListMember.objects.filter(person_list=person_list, person=OuterRef("person"))
    return (
        Supporter.objects.visible_to(api.organization)
        .filter(Exists(on_list))
        .annotate(added_at=Subquery(on_list.values("added_at")[:1]))
    )


def represent_item(api: Api, supporter: Any, person_list: PersonList) -> Body:
    added = getattr(supporter, "added_at", None) or supporter.created_at
    return {
        "identifiers": identifiers(supporter.pk),
        "created_date": date(added),
        "modified_date": date(added),
        "item_type": "osdi:person",
        "_links": {
            "self": {"href": api.href("lists", person_list.pk, "items", supporter.pk)},
            "osdi:list": {"href": api.href("lists", person_list.pk)},
            "osdi:person": {"href": api.href("people", supporter.pk)},
        },
    }


def list_lists(api: Api) -> tuple[int, Body]:
    lists = PersonList.objects.filter(organization=api.organization)
    return 200, collection(
        api, lists, kind="lists", path=["lists"], represent=represent, fields=FIELDS
    )


def get_list(api: Api, pk: str) -> tuple[int, Body]:
    return 200, represent(api, list_of(api, pk))


def list_items(api: Api, person_list: str) -> tuple[int, Body]:
    found = list_of(api, person_list)
    return 200, collection(
        api,
        members(api, found),
        kind="items",
        path=["lists", found.pk, "items"],
        represent=lambda api, supporter: represent_item(api, supporter, found),
        fields=ITEM_FIELDS,
        audit="list items",
    )


def get_item(api: Api, person_list: str, pk: str) -> tuple[int, Body]:
    found = list_of(api, person_list)
    supporter = members(api, found).filter(pk=object_id(pk, "item")).first()
    if supporter is None:
        raise not_found("item")
    return 200, represent_item(api, supporter, found)


# --- Metadata -----------------------------------------------------------------------------


def metadata(api: Api) -> tuple[int, Body]:
    return 200, {
        "name": api.organization.name,
        "_links": {
            "self": {"href": api.href("metadata")},
            "osdi:custom_fields": {"href": api.href("metadata", "custom_fields")},
        },
    }


def custom_fields(api: Api) -> tuple[int, Body]:
    """Every custom field name the organization's supporters have."""
    names: set[str] = set()
    rows = (
        Supporter.objects.filter(organization=api.organization)
        .exclude(custom_fields={})
        .values_list("custom_fields", flat=True)
        .iterator(chunk_size=2000)
    )
    for fields in rows:
        if isinstance(fields, dict):
            names.update(fields)
    return 200, {
        "action_network:custom_fields": [{"name": name} for name in sorted(names)],
        "_links": {"self": {"href": api.href("metadata", "custom_fields")}},
    }
