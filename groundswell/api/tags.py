"""Tags and taggings: the organization's own labels, and who has them.

A Tagging names a Person; the API shows it as a link to the organization's Supporter
for that person, and only where the organization has one.
"""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from groundswell.api import filters, schema
from groundswell.api.hal import collection, date, identifiers
from groundswell.api.http import Api, Body, not_found, object_id
from groundswell.api.people import supporter_from_href, supporter_of
from groundswell.people import actions as people_actions
from groundswell.people.models import Supporter, Tag, Tagging

TAG_FIELDS = {
    "created_date": filters.date_field("created_at"),
    "modified_date": filters.date_field("created_at"),
    "identifiers": filters.identifier_field(),
}
TAGGING_FIELDS = TAG_FIELDS


def represent_tag(api: Api, tag: Tag) -> Body:
    return {
        "identifiers": identifiers(tag.pk),
        "created_date": date(tag.created_at),
        "modified_date": date(tag.created_at),
        "name": tag.name,
        "_links": {
            "self": {"href": api.href("tags", tag.pk)},
            "osdi:taggings": {"href": api.href("tags", tag.pk, "taggings")},
        },
    }


def tag_of(api: Api, pk: str) -> Tag:
    tag = Tag.objects.filter(organization=api.organization, pk=object_id(pk, "tag")).first()
    if tag is None:
        raise not_found("tag")
    return tag


def taggings(api: Api) -> Any:
    """The organization's taggings, each with `supporter_pk`: its Supporter's id."""
    supporter = Supporter.objects.filter(organization=api.organization, person=OuterRef("person"))
    return (
        Tagging.objects.filter(tag__organization=api.organization)
        .annotate(supporter_pk=Subquery(supporter.values("pk")[:1]))
        .filter(supporter_pk__isnull=False)
    )


def represent_tagging(api: Api, tagging: Any) -> Body:
    return {
        "identifiers": identifiers(tagging.pk),
        "created_date": date(tagging.created_at),
        "modified_date": date(tagging.created_at),
        "item_type": "osdi:person",
        "_links": {
            "self": {"href": api.href("tags", tagging.tag_id, "taggings", tagging.pk)},
            "osdi:tag": {"href": api.href("tags", tagging.tag_id)},
            "osdi:person": {"href": api.href("people", tagging.supporter_pk)},
        },
    }


def tagging_of(api: Api, tag: Tag, pk: str) -> Any:
    tagging = taggings(api).filter(tag=tag, pk=object_id(pk, "tagging")).first()
    if tagging is None:
        raise not_found("tagging")
    return tagging


# --- Endpoints ----------------------------------------------------------------------------


def list_tags(api: Api) -> tuple[int, Body]:
    tags = Tag.objects.filter(organization=api.organization)
    return 200, collection(
        api, tags, kind="tags", path=["tags"], represent=represent_tag, fields=TAG_FIELDS
    )


def create_tag(api: Api) -> tuple[int, Body]:
    """POST /tags: the tag with this name (made if new; names are unique, any case)."""
    name = api.body(schema.TAG_CREATE)["name"]
    tag = people_actions.get_or_create_tag(api.organization, name)
    return 200, represent_tag(api, tag)


def get_tag(api: Api, pk: str) -> tuple[int, Body]:
    return 200, represent_tag(api, tag_of(api, pk))


def list_taggings(api: Api, tag: str) -> tuple[int, Body]:
    found = tag_of(api, tag)
    return 200, collection(
        api,
        taggings(api).filter(tag=found),
        kind="taggings",
        path=["tags", found.pk, "taggings"],
        represent=represent_tagging,
        fields=TAGGING_FIELDS,
        audit="taggings",
    )


def create_tagging(api: Api, tag: str) -> tuple[int, Body]:
    """POST /tags/{id}/taggings with `_links["osdi:person"]`: tag that person."""
    found = tag_of(api, tag)
    body = api.body(schema.TAGGING_CREATE)
    supporter = supporter_from_href(api, body["_links"]["osdi:person"]["href"])
    people_actions.tag_people(found, [supporter.person_id])
    tagging = taggings(api).get(tag=found, person=supporter.person_id)
    api.audit("POST tagging", person=supporter.person, records=1)
    return 200, represent_tagging(api, tagging)


def get_tagging(api: Api, tag: str, pk: str) -> tuple[int, Body]:
    return 200, represent_tagging(api, tagging_of(api, tag_of(api, tag), pk))


def delete_tagging(api: Api, tag: str, pk: str) -> tuple[int, Body]:
    found = tag_of(api, tag)
    tagging = tagging_of(api, found, pk)
    people_actions.untag_people(found, [tagging.person_id])
    api.audit("DELETE tagging", person=tagging.person, records=1)
    return 200, {"notice": _("This tagging was successfully deleted.")}


def person_taggings(api: Api, person: str) -> tuple[int, Body]:
    supporter = supporter_of(api, person)
    return 200, collection(
        api,
        taggings(api).filter(person=supporter.person_id),
        kind="taggings",
        path=["people", supporter.pk, "taggings"],
        represent=represent_tagging,
        fields=TAGGING_FIELDS,
        audit="person taggings",
    )
