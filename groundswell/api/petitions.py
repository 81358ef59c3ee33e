"""Petitions and their signatures.

An organization sees the petitions it owns or co-sponsors, and their confirmed,
counted signatures from people it knows (each linked to its Supporter). Only the owner
changes a petition; owner and co-sponsors may record signatures they collected
(the record signature helper), which count as verified on their word.
"""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Subquery
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from groundswell.api import filters, schema
from groundswell.api.hal import Links, collection, date, identifiers
from groundswell.api.http import Api, ApiError, Body, not_found, object_id
from groundswell.api.people import read_person, supporter_from_href, supporter_of, upsert
from groundswell.people import actions as people_actions
from groundswell.people.models import Supporter
from groundswell.petitions import actions as petition_actions
from groundswell.petitions.models import Petition, Signature, SignatureState, Status

FIELDS = {
    "modified_date": filters.date_field("updated_at"),
    "created_date": filters.date_field("created_at"),
    "identifiers": filters.identifier_field(),
}
SIGNATURE_FIELDS = {
    "modified_date": filters.date_field("verified_at"),
    "created_date": filters.date_field("created_at"),
    "identifiers": filters.identifier_field(),
}


def involved(api: Api) -> Any:
    return Petition.objects.involving(api.organization).select_related("owner", "count")


def petition_of(api: Api, pk: str) -> Petition:
    petition = involved(api).filter(pk=object_id(pk, "petition")).first()
    if petition is None:
        raise not_found("petition")
    return petition


def represent(api: Api, petition: Petition) -> Body:
    count = getattr(petition, "count", None)
    body: Body = {
        "identifiers": identifiers(petition.pk),
        "created_date": date(petition.created_at),
        "modified_date": date(petition.updated_at),
        "title": petition.title,
        "description": petition.why,
        "petition_text": petition.ask,
        "target": [
            {"name": t.name, "title": t.title, "organization": t.office}
            for t in petition.targets.all()
        ],
        "total_signatures": count.verified if count else 0,
        "groundswell:status": petition.status,
        "_links": {
            "self": {"href": api.href("petitions", petition.pk)},
            "osdi:signatures": {"href": api.href("petitions", petition.pk, "signatures")},
            "osdi:record_signature_helper": {
                "href": api.href("petitions", petition.pk, "signatures")
            },
        },
    }
    if petition.status != Status.DRAFT:
        body["browser_url"] = api.request.build_absolute_uri(petition.get_absolute_url())
    return body


def _targets(value: Any) -> list[dict[str, str]]:
    """`target` as OSDI sends it (a list of {name, title, organization}), or one name."""
    if isinstance(value, str):
        return [{"name": value.strip()}] if value.strip() else []
    return [
        {
            "name": t["name"].strip(),
            "title": t.get("title", ""),
            "office": t.get("organization", ""),
        }
        for t in value
    ]


def _texts(body: Body) -> dict[str, str]:
    names = {"title": "title", "description": "why", "petition_text": "ask"}
    return {field: body[key] for key, field in names.items() if key in body}


def _unused_slug(title: str) -> str:
    base = slugify(title)[:60].strip("-") or "petition"
    slug = base
    while Petition.objects.filter(slug=slug).exists():
        slug = f"{base}-{get_random_string(6, 'abcdefghijklmnopqrstuvwxyz0123456789')}"
    return slug


def _set_status(petition: Petition, status: str | None) -> None:
    """The status asked for, by the same rules as the organizer screen: a refusal is a
    400 with their reason, and the request changes nothing (not even a new petition)."""
    if status is None or status == petition.status:
        return
    try:
        petition_actions.change_status(petition, status)
    except petition_actions.StatusRefused as refusal:
        raise ApiError(400, str(refusal)) from None


# --- Petitions ----------------------------------------------------------------------------


def list_petitions(api: Api) -> tuple[int, Body]:
    return 200, collection(
        api,
        involved(api).prefetch_related("targets"),
        kind="petitions",
        path=["petitions"],
        represent=represent,
        fields=FIELDS,
    )


def get_petition(api: Api, pk: str) -> tuple[int, Body]:
    return 200, represent(api, petition_of(api, pk))


def create_petition(api: Api) -> tuple[int, Body]:
    """POST /petitions: a draft unless `groundswell:status` says "open"."""
    body = api.body(schema.PETITION_CREATE)
    texts: dict[str, Any] = {"ask": "", **_texts(body)}
    petition = petition_actions.create_petition(
        owner=api.organization,
        created_by=None,
        targets=_targets(body.get("target", [])),
        slug=_unused_slug(texts["title"]),
        **texts,
    )
    _set_status(petition, body.get("groundswell:status"))
    return 200, represent(api, petition_of(api, str(petition.pk)))


def put_petition(api: Api, pk: str) -> tuple[int, Body]:
    petition = petition_of(api, pk)
    if petition.owner_id != api.organization.pk:
        raise ApiError(403, _("Only the organization that owns a petition can change it."))
    body = api.body(schema.PETITION_UPDATE)
    targets = _targets(body["target"]) if "target" in body else None
    texts: dict[str, Any] = _texts(body)
    petition_actions.update_petition(petition, targets=targets, **texts)
    _set_status(petition, body.get("groundswell:status"))
    return 200, represent(api, petition_of(api, pk))


# --- Signatures ---------------------------------------------------------------------------


def signatures(api: Api) -> Any:
    """Confirmed, counted signatures on the organization's petitions by people it knows,
    each with `supporter_pk`."""
    supporter = Supporter.objects.filter(organization=api.organization, person=OuterRef("person"))
    return (
        Signature.objects.counted()
        .filter(state=SignatureState.VERIFIED, person__isnull=False)
        .filter(petition__in=involved(api).values("pk"))
        .annotate(supporter_pk=Subquery(supporter.values("pk")[:1]))
        .filter(supporter_pk__isnull=False)
    )


def represent_signature(api: Links, signature: Any) -> Body:
    return {
        "identifiers": identifiers(signature.pk),
        "created_date": date(signature.created_at),
        "modified_date": date(signature.verified_at or signature.created_at),
        "comments": signature.comment,
        "_links": {
            "self": {
                "href": api.href("petitions", signature.petition_id, "signatures", signature.pk)
            },
            "osdi:petition": {"href": api.href("petitions", signature.petition_id)},
            "osdi:person": {"href": api.href("people", signature.supporter_pk)},
        },
    }


def list_signatures(api: Api, petition: str) -> tuple[int, Body]:
    found = petition_of(api, petition)
    return 200, collection(
        api,
        signatures(api).filter(petition=found),
        kind="signatures",
        path=["petitions", found.pk, "signatures"],
        represent=represent_signature,
        fields=SIGNATURE_FIELDS,
        audit="signatures",
    )


def get_signature(api: Api, petition: str, pk: str) -> tuple[int, Body]:
    found = petition_of(api, petition)
    signature = signatures(api).filter(petition=found, pk=object_id(pk, "signature")).first()
    if signature is None:
        raise not_found("signature")
    return 200, represent_signature(api, signature)


def person_signatures(api: Api, person: str) -> tuple[int, Body]:
    supporter = supporter_of(api, person)
    return 200, collection(
        api,
        signatures(api).filter(person=supporter.person_id),
        kind="signatures",
        path=["people", supporter.pk, "signatures"],
        represent=represent_signature,
        fields=SIGNATURE_FIELDS,
        audit="person signatures",
    )


def record_signature(api: Api, petition: str) -> tuple[int, Body]:
    """POST /petitions/{id}/signatures: the record signature helper. The signer is a
    `person` hash (found or added, as POST /people) or `_links["osdi:person"]`."""
    found = petition_of(api, petition)
    body = api.body(schema.SIGNATURE_CREATE)
    tags = body.get("add_tags", [])
    link = body.get("_links", {}).get("osdi:person")
    consent = False
    if "person" in body:
        given = read_person(body["person"])
        supporter = upsert(api, given, tags)
        consent = given.email_status == "subscribed"
    elif link is not None:
        supporter = supporter_from_href(api, link["href"])
        for name in tags:
            tag = people_actions.get_or_create_tag(api.organization, name)
            people_actions.tag_people(tag, [supporter.person_id])
    else:
        raise ApiError(400, _('A signature needs a "person" or _links["osdi:person"].'))
    if not supporter.email:
        raise ApiError(400, _("A signature needs the person's email address."))
    result = petition_actions.record_vouched_signature(
        found,
        supporter.person,
        organization=api.organization,
        first_name=supporter.first_name,
        last_name=supporter.last_name,
        email=supporter.email,
        zip_code=supporter.zip_code,
        address=supporter.address,
        comment=body.get("comments", ""),
        language=supporter.language or "en",
        consent=consent,
    )
    signature: Any = result.signature
    signature.supporter_pk = supporter.pk
    api.audit("POST signature", person=supporter.person, records=1)
    return 200, represent_signature(api, signature)
