"""The audit log: who viewed, exported or changed supporter data, for owners to read."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
