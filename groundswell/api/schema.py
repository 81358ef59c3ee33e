"""Input declarations: every body the API accepts is described here once, as JSON Schema,
and validated against it before anything changes. The same declarations are published
in the OpenAPI document (api.openapi), so what is documented is what is enforced.

The validator covers the subset used below: type, properties, required,
additionalProperties, items, maxItems, maxLength, minLength, enum, maximum, minimum.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

Schema = dict[str, Any]


class Invalid(ValueError):
    """A body that does not match its declaration; the message says where and why."""


def string(max_length: int = 255, **extra: Any) -> Schema:
    return {"type": "string", "maxLength": max_length, **extra}


def obj(properties: dict[str, Schema], *, required: tuple[str, ...] = ()) -> Schema:
    schema: Schema = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        schema["required"] = list(required)
    return schema


def array(items: Schema, max_items: int = 100) -> Schema:
    return {"type": "array", "items": items, "maxItems": max_items}


EMAIL_STATUS = [
    "subscribed",
    "unsubscribed",
    "bouncing",
    "previous bounce",
    "spam complaint",
    "previous spam complaint",
]
HREF = obj({"href": string(2000)}, required=("href",))
CUSTOM_VALUE: Schema = {"type": ["string", "number", "boolean", "null"], "maxLength": 1000}
CUSTOM_FIELDS: Schema = {
    "type": "object",
    "additionalProperties": CUSTOM_VALUE,
    "maxProperties": 100,
    "propertyNames": {"maxLength": 100},
}

EMAIL_ADDRESS = obj(
    {
        "address": string(254),
        "primary": {"type": "boolean"},
        "status": {"type": "string", "enum": EMAIL_STATUS},
        "address_type": string(50),
    }
)
PHONE_NUMBER = obj(
    {
        "number": {"type": ["string", "integer"], "maxLength": 30, "maximum": 10**15},
        "primary": {"type": "boolean"},
        "status": {
            "type": "string",
            "enum": ["subscribed", "unsubscribed", "bouncing", "previous bounce"],
        },
        "number_type": string(50),
    }
)
POSTAL_ADDRESS = obj(
    {
        "primary": {"type": "boolean"},
        "address_lines": array(string(255), 5),
        "locality": string(100),
        "region": string(50),
        "postal_code": string(10),
        "country": string(50),
        "address_type": string(50),
        "language": string(10),
        "location": {"type": "object"},
    }
)
PERSON = obj(
    {
        "given_name": string(100),
        "family_name": string(100),
        "email_addresses": array(EMAIL_ADDRESS, 5),
        "phone_numbers": array(PHONE_NUMBER, 5),
        "postal_addresses": array(POSTAL_ADDRESS, 5),
        "languages_spoken": array(string(10), 10),
        "custom_fields": CUSTOM_FIELDS,
    }
)
TAG_NAMES = array(string(100, minLength=1), 50)

# POST /people: the person signup helper.
PERSON_SIGNUP = obj(
    {"person": PERSON, "add_tags": TAG_NAMES, "remove_tags": TAG_NAMES}, required=("person",)
)
# PUT /people/{id}: a partial update.
PERSON_UPDATE = PERSON
TAG_CREATE = obj({"name": string(100, minLength=1)}, required=("name",))
TAGGING_CREATE = obj(
    {"_links": obj({"osdi:person": HREF}, required=("osdi:person",))}, required=("_links",)
)
TARGET = obj(
    {"name": string(200, minLength=1), "title": string(200), "organization": string(200)},
    required=("name",),
)
PETITION_FIELDS = {
    "title": string(200, minLength=1),
    "description": string(20000),
    "petition_text": string(20000),
    "target": {"type": ["array", "string"], "items": TARGET, "maxItems": 20, "maxLength": 200},
    "origin_system": string(100),
    "groundswell:status": {"type": "string", "enum": ["draft", "open", "closed"]},
}
PETITION_CREATE = obj(PETITION_FIELDS, required=("title",))
PETITION_UPDATE = obj(PETITION_FIELDS)
SIGNATURE_CREATE = obj(
    {
        "person": PERSON,
        "add_tags": TAG_NAMES,
        "comments": string(5000),
        "_links": obj({"osdi:person": HREF}),
        "triggers": {"type": "object"},
    }
)

# POST /events/{id}/attendances: the record attendance helper.
ATTENDANCE_CREATE = obj(
    {
        "person": PERSON,
        "add_tags": TAG_NAMES,
        "_links": obj({"osdi:person": HREF}),
        "triggers": {"type": "object"},
        "groundswell:shift": {"type": "integer", "minimum": 1, "maximum": 2**63 - 1},
        "groundswell:guests": {"type": "integer", "minimum": 0, "maximum": 20},
    }
)


def _type_ok(value: Any, kind: str) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    if kind == "object":
        return isinstance(value, dict)
    if kind == "array":
        return isinstance(value, list)
    if kind == "null":
        return value is None
    return False


def _check_text(value: str, where: str) -> None:
    if "\x00" in value:
        raise Invalid(_("%(where)s: must not contain NUL characters") % {"where": where})
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise Invalid(_("%(where)s: is not valid Unicode text") % {"where": where}) from None


def validate(value: Any, schema: Schema, where: str = "body") -> Any:
    """Raise Invalid unless `value` matches `schema`; returns the value."""
    kinds = schema.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not any(_type_ok(value, k) for k in kinds):
            raise Invalid(
                _("%(where)s: must be %(kinds)s") % {"where": where, "kinds": " or ".join(kinds)}
            )
    if "enum" in schema and value not in schema["enum"]:
        raise Invalid(
            _("%(where)s: must be one of %(values)s")
            % {"where": where, "values": ", ".join(map(str, schema["enum"]))}
        )
    if isinstance(value, str):
        _check_text(value, where)
        if len(value) > schema.get("maxLength", 10**6):
            raise Invalid(
                _("%(where)s: must be at most %(n)d characters")
                % {"where": where, "n": schema["maxLength"]}
            )
        if len(value.strip()) < schema.get("minLength", 0):
            raise Invalid(_("%(where)s: must not be blank") % {"where": where})
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "maximum" in schema and value > schema["maximum"]:
            raise Invalid(_("%(where)s: is too large") % {"where": where})
        if "minimum" in schema and value < schema["minimum"]:
            raise Invalid(_("%(where)s: is too small") % {"where": where})
    if isinstance(value, list):
        if len(value) > schema.get("maxItems", 1000):
            raise Invalid(
                _("%(where)s: must have at most %(n)d items")
                % {"where": where, "n": schema["maxItems"]}
            )
        if "items" in schema:
            for index, item in enumerate(value):
                validate(item, schema["items"], f"{where}[{index}]")
    if isinstance(value, dict):
        _validate_object(value, schema, where)
    return value


def _validate_object(value: dict[str, Any], schema: Schema, where: str) -> None:
    properties = schema.get("properties", {})
    for name in schema.get("required", []):
        if name not in value:
            raise Invalid(_("%(where)s: %(name)s is required") % {"where": where, "name": name})
    if len(value) > schema.get("maxProperties", 200):
        raise Invalid(_("%(where)s: has too many fields") % {"where": where})
    extra = schema.get("additionalProperties", True)
    names = schema.get("propertyNames", {})
    for name, item in value.items():
        _check_text(name, where)
        if len(name) > names.get("maxLength", 200):
            raise Invalid(_("%(where)s: a field name is too long") % {"where": where})
        if name in properties:
            validate(item, properties[name], f"{where}.{name}")
        elif extra is False:
            raise Invalid(
                _("%(where)s: unknown field %(name)s") % {"where": where, "name": repr(name)}
            )
        elif isinstance(extra, dict):
            validate(item, extra, f"{where}.{name}")
