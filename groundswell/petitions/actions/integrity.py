"""Taking signatures out of the count (bulk invalidation) and back, and clearing
suspects."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from groundswell.petitions import (
    counts,
    integrity,
)
from groundswell.petitions.models import (
    SUSPECT,
    Invalidation,
    Petition,
    Signature,
    SignatureState,
)

if TYPE_CHECKING:
    from groundswell.accounts.models import User


def clear_suspects(petition: Petition, signatures: QuerySet[Signature]) -> int:
    """Let suspect signatures count after an organizer looked at them; returns how many.

    One UPDATE marks them, then one GROUP BY over exactly those rows adds them to the
    counts, so clearing a quarter million after an attack takes seconds, not minutes.
    Those still waiting for confirmation get their confirmation email then.
    """
    now = timezone.now()
    with transaction.atomic():
        cleared = (
            Signature.objects.suspect()
            .filter(petition=petition, pk__in=signatures.values("pk"))
            .update(cleared_at=now)
        )
        just_cleared = Signature.objects.filter(petition=petition, cleared_at=now)
        counts.record_changes(petition, just_cleared.counted(), direction=1)
        just_cleared.filter(state=SignatureState.PENDING, verification_sent_at=None).update(
            verification_due=True
        )
    return cleared


def invalidate(
    petition: Petition,
    *,
    kind: str,
    reason: str,
    by: User | None,
    value: str = "",
    starts_at: datetime.datetime | None = None,
    ends_at: datetime.datetime | None = None,
) -> Invalidation:
    """Take every signature matching an IP, a CIDR range, an email domain or a time
    window out of the counts, recording who did it, when and why. Reversible.

    The UPDATE comes first: it locks the rows, so a confirmation racing it is either
    already in the counts it subtracts or finds the signature invalidated.
    """
    invalidation = Invalidation(
        petition=petition,
        kind=kind,
        value=value,
        starts_at=starts_at,
        ends_at=ends_at,
        reason=reason,
        created_by=by,
    )
    with transaction.atomic():
        invalidation.save()
        matched = (
            integrity.matching(
                petition, kind=kind, value=value, starts_at=starts_at, ends_at=ends_at
            )
            .filter(invalidation__isnull=True)
            .update(invalidation=invalidation)
        )
        were_counted = invalidation.signatures.exclude(SUSPECT)
        counts.record_changes(petition, were_counted, direction=-1)
        invalidation.signature_count = matched
        invalidation.save(update_fields=["signature_count"])
    return invalidation


def reverse_invalidation(invalidation: Invalidation, *, by: User | None) -> int:
    """Undo an invalidation: its signatures count again as they did before."""
    with transaction.atomic():
        locked = Invalidation.objects.select_for_update().get(pk=invalidation.pk)
        if locked.reversed_at is not None:
            return 0
        # Lock the rows first, so none is confirmed between counting and restoring.
        list(locked.signatures.select_for_update().values_list("pk", flat=True))
        counts.record_changes(locked.petition, locked.signatures.exclude(SUSPECT), direction=1)
        restored = locked.signatures.update(invalidation=None)
        locked.reversed_at = timezone.now()
        locked.reversed_by = by
        locked.save(update_fields=["reversed_at", "reversed_by"])
    invalidation.refresh_from_db()
    return restored
