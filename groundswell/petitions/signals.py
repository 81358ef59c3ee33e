"""Signals the petitions app sends, for higher apps (webhooks) to listen to.

`signature_verified` is sent inside the confirming transaction, once the signature is
verified and its signer linked to the petition's organizations: `signature` (with its
`petition` and `person`) and `organization_ids` (the owner and co-sponsors, each of
which knows the signer by its own Supporter row).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.dispatch import Signal

from groundswell.organizations.models import Organization
from groundswell.petitions.models import Signature

signature_verified = Signal()


def announce_verified(signature: Signature, organizations: Iterable[Organization]) -> None:
    """Send `signature_verified` for a signature that now counts as verified."""
    signature_verified.send(
        sender=Signature,
        signature=signature,
        organization_ids=[organization.pk for organization in organizations],
    )
