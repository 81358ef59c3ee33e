"""Signals the people app sends, for higher apps (webhooks) to listen to without people
importing them.

`supporter_changed` is sent inside the writing transaction, once per write (an import
sends one per batch): `organization`, `supporter_ids` (a list) and `created` (True for
supporters the organization has just come to know; False when what its record shows
changed: fields, custom fields, consent).
"""

from __future__ import annotations

from collections.abc import Collection

from django.dispatch import Signal

from groundswell.organizations.models import Organization
from groundswell.people.models import Supporter

supporter_changed = Signal()


def announce(organization: Organization, supporter_ids: Collection[int], *, created: bool) -> None:
    """Send `supporter_changed` for these supporters of the organization (none: nothing)."""
    if supporter_ids:
        supporter_changed.send(
            sender=Supporter,
            organization=organization,
            supporter_ids=list(supporter_ids),
            created=created,
        )
