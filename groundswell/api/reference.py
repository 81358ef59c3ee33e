"""/manage/<org>/api/reference/: the API reference as a page, read from the same OpenAPI
description /api/v2/openapi.json serves (api.openapi), so it cannot drift from it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from groundswell.api.openapi import document
from groundswell.organizations.models import Role
from groundswell.organizations.permissions import membership_for

MAX_DEPTH = 6


@dataclass(frozen=True)
class Field:
    name: str  # dotted, "[]" for an array's items: person.email_addresses[].address
    type: str
    required: bool
    rules: str  # enum, length and range limits, as text


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    summary: str
    anchor: str
    parameters: list[Field]
    body: list[Field]
    responses: list[tuple[str, str]]


def _type(schema: dict[str, Any]) -> str:
    kind = schema.get("type", "")
    return " | ".join(kind) if isinstance(kind, list) else str(kind)


def _rules(schema: dict[str, Any]) -> str:
    rules = []
    if "enum" in schema:
        rules.append("one of: " + ", ".join(str(v) for v in schema["enum"]))
    for key, label in (
        ("minimum", "min"),
        ("maximum", "max"),
        ("minLength", "min length"),
        ("maxLength", "max length"),
        ("maxItems", "at most items"),
        ("format", "format"),
    ):
        if key in schema:
            rules.append(f"{label} {schema[key]}")
    if schema.get("description"):
        rules.append(str(schema["description"]))
    return "; ".join(rules)


def fields(schema: dict[str, Any], prefix: str = "", depth: int = 0) -> list[Field]:
    """Every field of a JSON schema, nested ones by their dotted names."""
    found: list[Field] = []
    required = set(schema.get("required", []))
    for name, sub in schema.get("properties", {}).items():
        full = f"{prefix}{name}"
        found.append(Field(full, _type(sub), name in required, _rules(sub)))
        if depth < MAX_DEPTH:
            if sub.get("type") == "object":
                found += fields(sub, f"{full}.", depth + 1)
            elif sub.get("type") == "array" and isinstance(sub.get("items"), dict):
                items = sub["items"]
                if items.get("type") == "object":
                    found += fields(items, f"{full}[].", depth + 1)
    return found


def operations(doc: dict[str, Any]) -> list[Operation]:
    listed = []
    for path, methods in doc["paths"].items():
        for method, op in methods.items():
            parameters = [
                Field(
                    f"{p['name']} ({p['in']})",
                    _type(p.get("schema", {})),
                    bool(p.get("required")),
                    _rules({**p.get("schema", {}), "description": p.get("description", "")}),
                )
                for p in op.get("parameters", [])
            ]
            body_schema = (
                op.get("requestBody", {})
                .get("content", {})
                .get("application/json", {})
                .get("schema", {})
            )
            listed.append(
                Operation(
                    method=method.upper(),
                    path=path,
                    summary=op.get("summary", ""),
                    anchor=op.get("operationId", f"{method}{path}"),
                    parameters=parameters,
                    body=fields(body_schema),
                    responses=[(code, r["description"]) for code, r in op["responses"].items()],
                )
            )
    return listed


@require_safe
@login_required
def reference(request: HttpRequest, org: str) -> HttpResponse:
    membership = membership_for(request, org, Role.ADMIN)
    base = request.build_absolute_uri(reverse("api:entry")).rstrip("/")
    doc = document(base)
    return render(
        request,
        "api/manage/reference.html",
        {
            "membership": membership,
            "organization": membership.organization,
            "section": "api",
            "info": doc["info"],
            "base": base,
            "operations": operations(doc),
            "openapi_url": reverse("api:openapi"),
        },
    )
