"""The OpenAPI 3.1 description of /api/v2, made from the same declarations that route
(api.urls) and validate (api.schema) requests, so it cannot drift from what is served.
Tests fuzz the API from it (tests/api/test_fuzz.py)."""

from __future__ import annotations

import re
from typing import Any

from groundswell.api import schema
from groundswell.api.hal import MAX_PER_PAGE
from groundswell.api.http import MAX_ID, TOKEN_PARAM

Operation = tuple[str, schema.Schema | None, str]

# path → method → (summary, request body declaration, response: "collection" or "item")
OPERATIONS: dict[str, dict[str, Operation]] = {
    "/": {"get": ("The entry point: links to every collection", None, "item")},
    "/people": {
        "get": ("People the organization knows", None, "collection"),
        "post": (
            "Person signup helper: add or update a person by email/phone",
            schema.PERSON_SIGNUP,
            "item",
        ),
    },
    "/people/{pk}": {
        "get": ("One person", None, "item"),
        "put": ("Change a person (only the fields given)", schema.PERSON_UPDATE, "item"),
    },
    "/people/{person}/taggings": {"get": ("A person's taggings", None, "collection")},
    "/people/{person}/signatures": {"get": ("A person's signatures", None, "collection")},
    "/tags": {
        "get": ("The organization's tags", None, "collection"),
        "post": ("Create a tag (or get the one with that name)", schema.TAG_CREATE, "item"),
    },
    "/tags/{pk}": {"get": ("One tag", None, "item")},
    "/messages": {"get": ("The organization's mailings, with their figures", None, "collection")},
    "/messages/{pk}": {"get": ("One mailing", None, "item")},
    "/tags/{tag}/taggings": {
        "get": ("Who has the tag", None, "collection"),
        "post": ("Tag a person", schema.TAGGING_CREATE, "item"),
    },
    "/tags/{tag}/taggings/{pk}": {
        "get": ("One tagging", None, "item"),
        "delete": ("Take the tag off the person", None, "item"),
    },
    "/petitions": {
        "get": ("Petitions the organization owns or co-sponsors", None, "collection"),
        "post": (
            "Create a petition (a draft unless groundswell:status is open)",
            schema.PETITION_CREATE,
            "item",
        ),
    },
    "/petitions/{pk}": {
        "get": ("One petition", None, "item"),
        "put": ("Change a petition the organization owns", schema.PETITION_UPDATE, "item"),
    },
    "/petitions/{petition}/signatures": {
        "get": ("Confirmed signatures", None, "collection"),
        "post": ("Record signature helper", schema.SIGNATURE_CREATE, "item"),
    },
    "/petitions/{petition}/signatures/{pk}": {"get": ("One signature", None, "item")},
    "/lists": {"get": ("Lists and saved searches", None, "collection")},
    "/lists/{pk}": {"get": ("One list", None, "item")},
    "/lists/{person_list}/items": {"get": ("The people on a list", None, "collection")},
    "/lists/{person_list}/items/{pk}": {"get": ("One item of a list", None, "item")},
    "/events": {
        "get": (
            "Events the organization owns or co-hosts (others' private ones left out)",
            None,
            "collection",
        )
    },
    "/events/{pk}": {"get": ("One event", None, "item")},
    "/events/{event}/attendances": {
        "get": ("RSVPs to the event, as attendances", None, "collection"),
        "post": ("Record attendance helper (an RSVP)", schema.ATTENDANCE_CREATE, "item"),
    },
    "/events/{event}/attendances/{pk}": {"get": ("One attendance", None, "item")},
    "/people/{person}/attendances": {"get": ("A person's attendances", None, "collection")},
    "/people/{person}/attendances/{pk}": {"get": ("One of a person's attendances", None, "item")},
    "/forms": {
        "get": ("Volunteer forms: the organization's and its campaigns'", None, "collection")
    },
    "/forms/{pk}": {"get": ("One form", None, "item")},
    "/forms/{form}/submissions": {
        "get": ("Confirmed volunteer sign-ups, as submissions", None, "collection")
    },
    "/forms/{form}/submissions/{pk}": {"get": ("One submission", None, "item")},
    "/people/{person}/submissions": {"get": ("A person's submissions", None, "collection")},
    "/metadata": {"get": ("The organization's metadata", None, "item")},
    "/metadata/custom_fields": {"get": ("Custom field names in use", None, "item")},
}

ERROR = {
    "type": "object",
    "properties": {"error": {"type": "string"}},
    "required": ["error"],
}
ITEM = {"type": "object", "properties": {"_links": {"type": "object"}}}
COLLECTION = {
    "type": "object",
    "required": ["total_pages", "per_page", "page", "total_records", "_links", "_embedded"],
    "properties": {
        "total_pages": {"type": "integer", "minimum": 0},
        "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
        "page": {"type": "integer", "minimum": 1},
        "total_records": {"type": "integer", "minimum": 0},
        "_links": {"type": "object"},
        "_embedded": {"type": "object", "minProperties": 1, "maxProperties": 1},
    },
}
PAGING = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
    {
        "name": "filter",
        "in": "query",
        "schema": {"type": "string", "maxLength": 2000},
        "description": "OData subset: modified_date gt '2024-01-01' and ...",
    },
]


def _json(body_schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/hal+json": {"schema": body_schema}}


def _operation(path: str, method: str, op: Operation) -> dict[str, Any]:
    summary, body, kind = op
    responses: dict[str, Any] = {
        "200": {
            "description": "OK",
            "content": _json(COLLECTION if kind == "collection" else ITEM),
        },
        "401": {"description": "No valid token", "content": _json(ERROR)},
        "404": {"description": "Not found", "content": _json(ERROR)},
        "429": {"description": "Too many requests (see Retry-After)", "content": _json(ERROR)},
    }
    parameters = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
        }
        for name in re.findall(r"{(\w+)}", path)
    ]
    if kind == "collection":
        parameters += PAGING
        responses["400"] = {"description": "A bad page or filter", "content": _json(ERROR)}
    operation: dict[str, Any] = {
        "summary": summary,
        "operationId": f"{method}{path}".replace("/", "_").replace("{", "").replace("}", ""),
        "parameters": parameters,
        "responses": responses,
    }
    if body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": body}},
        }
        responses["400"] = {"description": "Invalid body; nothing changed", "content": _json(ERROR)}
        responses["413"] = {"description": "Body too large", "content": _json(ERROR)}
    if method in ("put", "delete") or path.startswith("/petitions/{pk}"):
        responses["403"] = {"description": "Not the petition's owner", "content": _json(ERROR)}
    if method == "post" and "background_processing" not in str(parameters):
        operation["parameters"].append(
            {
                "name": "background_processing",
                "in": "query",
                "schema": {"type": "string"},
                "description": "Accepted for compatibility; the work is done at once.",
            }
        )
    return operation


def document(base: str) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Groundswell OSDI API",
            "version": "2",
            "description": "HAL+JSON, compatible with Action Network's API v2. See docs/api.md.",
        },
        "servers": [{"url": base}],
        "security": [{"header": []}, {"query": []}],
        "components": {
            "securitySchemes": {
                "header": {"type": "apiKey", "in": "header", "name": "OSDI-API-Token"},
                "query": {"type": "apiKey", "in": "query", "name": TOKEN_PARAM},
            }
        },
        "paths": {
            path: {method: _operation(path, method, op) for method, op in methods.items()}
            for path, methods in OPERATIONS.items()
        },
    }
