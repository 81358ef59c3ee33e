"""People: the organization's supporters, as OSDI people.

The id is the Supporter's (never the Person's: a global person id would tell one
organization whether someone is known to another). Contact details (email, phone,
street address, city) are served where the organization sees them, exactly as in its
People area (Supporter.shows): with the person's consent, or supplied by it itself, and
the email address with its true status. Writes go through people.actions, which hold
the rules (who a person is, which fields may change, what consent a new address gets).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from groundswell.api import filters, schema
from groundswell.api.hal import Links, collection, date, identifiers
from groundswell.api.http import Api, ApiError, Body, not_found, object_id
from groundswell.people import actions as people_actions
from groundswell.people.addresses import validate_email
from groundswell.people.models import Channel, Supporter, shown
from groundswell.people.phones import normalize_phone

API_SOURCE = "api"
PERSON_HREF = re.compile(r"/people/([0-9]+)/?$")


def visible(api: Api) -> Any:
    return Supporter.objects.visible_to(api.organization).select_related("person")


def supporter_of(api: Api, pk: str | int) -> Supporter:
    found = visible(api).filter(pk=object_id(str(pk), "person")).first()
    if found is None:
        raise not_found("person")
    return found


def supporter_from_href(api: Api, href: str) -> Supporter:
    """The supporter an `osdi:person` link names (this API's people/{id} URL)."""
    match = PERSON_HREF.search(href.split("?")[0])
    if match is None:
        raise ApiError(400, _("_links.osdi:person.href must be a link to a person"))
    return supporter_of(api, match.group(1))


def represent(api: Links, supporter: Supporter) -> Body:
    """The organization's record as an OSDI person: contact details where it sees them
    (Supporter.shows), the email address "subscribed" or "unsubscribed" as its consent
    stands."""
    contact = supporter.contact
    status = "subscribed" if getattr(supporter, "contactable", False) else "unsubscribed"
    emails = (
        [{"primary": True, "address": contact["email"], "status": status}]
        if contact["email"]
        else []
    )
    phones = (
        [{"primary": True, "number": contact["phone"], "number_type": "Mobile"}]
        if contact["phone"]
        else []
    )
    postal: dict[str, Any] = {"primary": True}
    if contact["address"]:
        postal["address_lines"] = [contact["address"]]
    if contact["city"]:
        postal["locality"] = contact["city"]
    if supporter.state:
        postal["region"] = supporter.state
    if supporter.zip_code:
        postal["postal_code"] = supporter.zip_code
    languages = supporter.languages or ([supporter.language] if supporter.language else [])
    return {
        "identifiers": identifiers(supporter.pk),
        "created_date": date(supporter.created_at),
        "modified_date": date(supporter.updated_at),
        "given_name": supporter.first_name,
        "family_name": supporter.last_name,
        "email_addresses": emails,
        "phone_numbers": phones,
        "postal_addresses": [postal] if len(postal) > 1 else [],
        "languages_spoken": languages,
        "custom_fields": supporter.custom_fields,
        "_links": {
            "self": {"href": api.href("people", supporter.pk)},
            "osdi:taggings": {"href": api.href("people", supporter.pk, "taggings")},
            "osdi:signatures": {"href": api.href("people", supporter.pk, "signatures")},
            "osdi:attendances": {"href": api.href("people", supporter.pk, "attendances")},
            "osdi:submissions": {"href": api.href("people", supporter.pk, "submissions")},
        },
    }


def _email_filter(value: str) -> Q:
    # Only where the organization sees it, as in the People area: a filter must not
    # confirm an address it may not see.
    return Q(email__iexact=value.strip()) & shown("email")


def _phone_filter(value: str) -> Q:
    number = normalize_phone(value)
    return Q(phone=number) & shown("phone") if number else Q(pk__in=[])


FIELDS = {
    "modified_date": filters.date_field("updated_at"),
    "created_date": filters.date_field("created_at"),
    "email_address": filters.equality_field(_email_filter),
    "email": filters.equality_field(_email_filter),
    "phone_number": filters.equality_field(_phone_filter),
    "identifiers": filters.identifier_field(),
    "identifier": filters.identifier_field(),
}


# --- Reading what a client sent ------------------------------------------------------------


@dataclass
class Given:
    """What a `person` hash says, in the Supporter's terms."""

    fields: dict[str, str] = field(default_factory=dict)
    email_status: str = ""
    phone_status: str = ""
    custom_fields: dict[str, str | None] | None = None


def _primary(items: list[dict[str, Any]]) -> dict[str, Any] | None:
    return next((i for i in items if i.get("primary")), items[0] if items else None)


def read_person(person: dict[str, Any]) -> Given:
    """The validated `person` hash as Supporter fields; 400 for an unusable address."""
    given = Given()
    for key, name in (("given_name", "first_name"), ("family_name", "last_name")):
        if key in person:
            given.fields[name] = person[key].strip()
    email = _primary(person.get("email_addresses", []))
    if email is not None:
        address = (email.get("address") or "").strip()
        if address:
            try:
                validate_email(address)
            except ValidationError:
                raise ApiError(
                    400, _("%(address)r is not an email address") % {"address": address[:60]}
                ) from None
            given.fields["email"] = address
        given.email_status = email.get("status", "")
    phone = _primary(person.get("phone_numbers", []))
    if phone is not None:
        raw = str(phone.get("number") or "").strip()
        if raw:
            number = normalize_phone(raw)
            if number is None:
                raise ApiError(400, _("%(number)r is not a phone number") % {"number": raw[:30]})
            given.fields["phone"] = number
        given.phone_status = phone.get("status", "")
    postal = _primary(person.get("postal_addresses", []))
    if postal is not None:
        lines = [line.strip() for line in postal.get("address_lines", []) if line.strip()]
        pairs = (
            ("address", ", ".join(lines)[:255]),
            ("city", postal.get("locality", "")),
            ("state", postal.get("region", "")),
            ("zip_code", postal.get("postal_code", "")),
        )
        for name, value in pairs:
            if value.strip():
                given.fields[name] = value.strip()
    languages = [code.strip() for code in person.get("languages_spoken", []) if code.strip()]
    if languages:
        given.fields["language"] = languages[0]
    if "custom_fields" in person:
        given.custom_fields = {
            str(key): None if value is None else str(value)
            for key, value in person["custom_fields"].items()
        }
    return given


def apply_consent(supporter: Supporter, given: Given) -> None:
    """The organization's word on consent: "subscribed" records it (source "api"),
    "unsubscribed" withdraws it; any other status changes nothing (no status on a new
    address: people.actions.add_person)."""
    person, organization = supporter.person, supporter.organization
    for status, channel in ((given.email_status, Channel.EMAIL), (given.phone_status, Channel.SMS)):
        if status == "subscribed":
            people_actions.grant_consent(
                person, organization, source=API_SOURCE, channel=channel, claimed=True
            )
        elif status == "unsubscribed":
            people_actions.withdraw_consent(
                person, organization, source=API_SOURCE, channel=channel
            )


def _merged(current: dict[str, Any], given: dict[str, str | None]) -> dict[str, str]:
    merged = {**current, **given}
    return {key: value for key, value in merged.items() if value is not None}


def update(supporter: Supporter, given: Given, *, keep_email: bool) -> Supporter:
    """Write what was given to the organization's record (its own row only); the fields
    it may not change (people.actions.changeable) stay as they are."""
    changes = {
        name: value for name, value in given.fields.items() if not (keep_email and name == "email")
    }
    custom = None
    if given.custom_fields is not None:
        custom = _merged(supporter.custom_fields, given.custom_fields)
    try:
        people_actions.update_supporter(
            supporter, changes=changes, custom_fields=custom, source=API_SOURCE
        )
    except people_actions.Suppressed as refused:
        raise ApiError(400, str(refused.message)) from refused
    return visible_to_org(supporter)


def visible_to_org(supporter: Supporter) -> Supporter:
    return (
        Supporter.objects.visible_to(supporter.organization)
        .select_related("person", "organization")
        .get(pk=supporter.pk)
    )


def upsert(api: Api, given: Given, tags: list[str]) -> Supporter:
    """Find or add the person (people.actions.add_person: the organization's own record
    of whoever it sees at that address or number, else a new one; the answer is the
    same whoever else holds it); the signup helper's write. Without an email status, a
    new address is subscribed on the organization's word, as Action Network does."""
    if not given.fields.get("email") and not given.fields.get("phone"):
        raise ApiError(400, _("A person needs an email address or a phone number."))
    try:
        added = people_actions.add_person(
            api.organization,
            fields={k: v for k, v in given.fields.items() if k != "language" or v},
            consent_to_email=None if not given.email_status else False,
            tags=tags,
            custom_fields={k: v for k, v in (given.custom_fields or {}).items() if v is not None},
            source=API_SOURCE,
        )
    except people_actions.Suppressed as refused:
        raise ApiError(400, str(refused.message)) from refused
    supporter = added.supporter
    apply_consent(supporter, given)
    if added.already_known:
        supporter = update(supporter, given, keep_email=True)
    return visible_to_org(supporter)


# --- Endpoints ----------------------------------------------------------------------------


def list_people(api: Api) -> tuple[int, Body]:
    return 200, collection(
        api,
        visible(api),
        kind="people",
        path=["people"],
        represent=represent,
        fields=FIELDS,
        audit="people",
    )


def signup(api: Api) -> tuple[int, Body]:
    """POST /people: the person signup helper (`person`, `add_tags`, `remove_tags`)."""
    body = api.body(schema.PERSON_SIGNUP)
    given = read_person(body["person"])
    supporter = upsert(api, given, body.get("add_tags", []))
    remove = {" ".join(n.split()).lower() for n in body.get("remove_tags", [])}
    for tag in api.organization.tags.all():
        if tag.name.lower() in remove:
            people_actions.untag_people(tag, [supporter.person_id])
    api.audit("POST people", person=supporter.person, records=1)
    return 200, represent(api, supporter)


def get_person(api: Api, pk: str) -> tuple[int, Body]:
    supporter = supporter_of(api, pk)
    api.audit("GET person", person=supporter.person, records=1)
    return 200, represent(api, supporter)


def put_person(api: Api, pk: str) -> tuple[int, Body]:
    """PUT /people/{id}: change what is given, leave the rest; custom_fields merge (a
    null value removes a field)."""
    supporter = supporter_of(api, pk)
    given = read_person(api.body(schema.PERSON_UPDATE))
    apply_consent(supporter, given)
    supporter = update(supporter, given, keep_email=False)
    api.audit("PUT person", person=supporter.person, records=1)
    return 200, represent(api, supporter)
