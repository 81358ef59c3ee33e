"""The cases' append-only audit log: every read and write of a case, by whom."""

from __future__ import annotations

from typing import Any

from groundswell.cases.models import AuditEntry, Case


def record(
    case: Case | None,
    action: str,
    *,
    by: Any = None,
    organization_id: int | None = None,
    detail: str = "",
) -> AuditEntry:
    """Add one entry (in the caller's transaction: a write and its entry land together)."""
    organization_id = case.organization_id if case is not None else organization_id
    if organization_id is None:
        raise ValueError("an audit entry names its organization")
    return AuditEntry.objects.create(
        organization_id=organization_id,
        case_id=case.pk if case is not None else None,
        user_id=getattr(by, "pk", None),
        who=getattr(by, "email", "") or "",
        action=action,
        detail=detail[:2000],
    )


def entries_for(organization_id: int) -> Any:
    return AuditEntry.objects.filter(organization_id=organization_id)
