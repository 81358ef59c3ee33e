"""The audit log: who viewed, exported or changed supporter data, for owners to read."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from django.contrib.admin.models import LogEntry
from django.http import HttpRequest

from groundswell.core.http import client_ip
from groundswell.organizations.models import Organization
from groundswell.people.models import AuditEvent, Person

if TYPE_CHECKING:
    from groundswell.accounts.models import User


def record(
    organization: Organization,
    action: str,
    *,
    request: HttpRequest | None = None,
    user: User | None = None,
    person: Person | None = None,
    detail: str = "",
    records: int = 0,
) -> AuditEvent:
    """Note an access to supporter data. `detail` must not hold personal data (a search's
    filters, a file name, which fields changed), since erasure cannot reach into it."""
    if request is not None and user is None and request.user.is_authenticated:
        user = request.user
    return AuditEvent.objects.create(
        organization=organization,
        user=user,
        action=action,
        person=person,
        detail=detail[:300],
        records=records,
        ip_address=client_ip(request) if request is not None else None,
    )


def record_admin_entry(
    sender: type[LogEntry], instance: LogEntry, created: bool, **kw: Any
) -> None:
    """A change an operator made in the admin (Django's LogEntry) goes to the audit log
    of each organization it concerns too, so owners see it beside their staff's: the
    object's own organization, or its parent's (a signature's petition's owner), or,
    for a person, each organization that knows them. Field names only, never values."""
    if not created or instance.is_deletion():
        return  # what is deleted is gone; the admin forbids deleting supporter data
    edited = instance.get_edited_object() if instance.content_type_id else None
    if edited is None:
        return
    for organization in _organizations_of(edited):
        record(
            organization,
            AuditEvent.Action.CHANGED,
            user=instance.user,
            person=edited if isinstance(edited, Person) else None,
            detail=_admin_detail(instance),
            records=1,
        )


def _admin_detail(entry: LogEntry) -> str:
    model = entry.content_type.model if entry.content_type else "object"
    verb = "added" if entry.is_addition() else "changed"
    parts = []
    try:
        messages = json.loads(entry.change_message or "[]")
    except ValueError:
        messages = []
    for message in messages if isinstance(messages, list) else []:
        for kind, what in message.items():
            if isinstance(what, dict):
                fields = ", ".join(str(f) for f in what.get("fields", []))
                inline = what.get("name", "")
                label = " ".join(str(word) for word in (kind, inline) if word)
                parts.append(label + (f" ({fields})" if fields else ""))
    return f"in the admin: {verb} {model} {entry.object_id}" + (
        f": {'; '.join(parts)}" if parts else ""
    )


def _organizations_of(edited: Any) -> list[Organization]:
    if isinstance(edited, Organization):
        return [edited]
    if isinstance(edited, Person):
        return list(Organization.objects.filter(supporters__person=edited).distinct())
    found = _organization_field(edited)
    if found is not None:
        return [found]
    for field in edited._meta.concrete_fields:  # one step up: a signature's petition
        if field.many_to_one and field.related_model is not None:
            parent = getattr(edited, field.name, None)
            found = _organization_field(parent) if parent is not None else None
            if found is not None:
                return [found]
    return []


def _organization_field(obj: Any) -> Organization | None:
    for field in obj._meta.concrete_fields:
        if field.many_to_one and field.related_model is Organization:
            value = getattr(obj, field.name, None)
            if isinstance(value, Organization):
                return value
    return None
