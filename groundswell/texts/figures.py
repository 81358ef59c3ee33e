"""A blast's figures: how many it goes to and what became of each text."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from groundswell.texts.models import Blast, RecipientState


@dataclass(frozen=True)
class Figures:
    recipients: int
    sent: int
    failed: int
    unknown: int
    not_sent: int  # skipped (no longer textable) or cancelled
    waiting: int
    deferred: int  # waiting for quiet hours (or the provider) to end
    opted_out: int  # replied STOP after this blast reached them

    @property
    def percent(self) -> int:
        if not self.recipients:
            return 0
        done = self.recipients - self.waiting
        return int(100 * done / self.recipients)

    def as_dict(self) -> dict[str, int]:
        return {**self.__dict__, "percent": self.percent}


def of(blast: Blast) -> Figures:
    now = timezone.now()
    counts = blast.recipients.aggregate(
        recipients=Count("pk"),
        sent=Count("pk", filter=Q(state=RecipientState.SENT)),
        failed=Count("pk", filter=Q(state=RecipientState.FAILED)),
        unknown=Count("pk", filter=Q(state=RecipientState.UNKNOWN)),
        not_sent=Count(
            "pk", filter=Q(state__in=(RecipientState.SKIPPED, RecipientState.CANCELLED))
        ),
        waiting=Count("pk", filter=Q(state__in=(RecipientState.PENDING, RecipientState.SENDING))),
        deferred=Count("pk", filter=Q(state=RecipientState.PENDING, not_before__gt=now)),
        opted_out=Count("pk", filter=Q(opted_out_at__isnull=False)),
    )
    return Figures(**counts)
