"""Each target's response threshold and how long it has gone without answering, as
e-petitions show it: "response expected at N signatures", reached on a day, and the
days since (or since the petition was delivered to them) without a response.

The day a threshold was reached is read from the daily counts: the first day on which
the verified signatures signed up to that day add up to the threshold. Counts lag the
truth by seconds, so "reached" can trail a signature by as much.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Min, Sum
from django.utils import timezone

from groundswell.petitions.models import DailyCount, Delivery, Petition, PetitionResponse, Target


@dataclass(frozen=True)
class TargetState:
    target: Target
    verified: int  # the petition's verified signatures
    reached_on: datetime.date | None  # the day the threshold was reached, if it was
    delivered_on: datetime.date | None  # the first delivery to them
    responded_on: datetime.date | None  # their first response on or after waiting began
    waiting_since: datetime.date | None  # threshold reached or delivered, the earlier
    days_waiting: int | None  # days since then without a response (None: not waiting)

    @property
    def threshold(self) -> int | None:
        return self.target.response_threshold

    @property
    def reached(self) -> bool:
        return self.reached_on is not None

    @property
    def to_go(self) -> int:
        """Verified signatures still needed to reach the threshold."""
        if self.threshold is None:
            return 0
        return max(0, self.threshold - self.verified)


def reached_days(petition: Petition, thresholds: set[int]) -> dict[int, datetime.date]:
    """For each threshold, the first day on which the petition's verified signatures
    added up to it (thresholds not reached are left out)."""
    if not thresholds:
        return {}
    days = (
        DailyCount.objects.filter(petition=petition)
        .values("day")
        .annotate(verified=Sum("verified"))
        .order_by("day")
    )
    found: dict[int, datetime.date] = {}
    running = 0
    waiting = sorted(thresholds)
    for row in days:
        running += row["verified"]
        while waiting and running >= waiting[0]:
            found[waiting.pop(0)] = row["day"]
        if not waiting:
            break
    return found


def target_states(
    petition: Petition, verified: int, today: datetime.date | None = None
) -> list[TargetState]:
    """Every target of the petition, in order, with its threshold state."""
    today = today or timezone.localdate()
    targets = list(petition.targets.all())
    reached = reached_days(
        petition, {t.response_threshold for t in targets if t.response_threshold}
    )
    delivered = dict(
        Delivery.objects.filter(petition=petition, targets__in=targets)
        .values("targets")
        .annotate(first=Min("delivered_on"))
        .values_list("targets", "first")
    )
    responses: dict[int, list[datetime.date]] = {}
    for target_id, day in (
        PetitionResponse.objects.filter(petition=petition, target__in=targets)
        .order_by("responded_on")
        .values_list("target_id", "responded_on")
    ):
        responses.setdefault(target_id, []).append(day)
    states = []
    for target in targets:
        reached_on = (
            # The daily counts can trail the totals by a fold: then it was reached today.
            reached.get(target.response_threshold, today)
            if target.response_threshold and verified >= target.response_threshold
            else None
        )
        delivered_on = delivered.get(target.pk)
        starts = [d for d in (reached_on, delivered_on) if d is not None]
        waiting_since = min(starts) if starts else None
        answered = [
            d for d in responses.get(target.pk, []) if waiting_since is None or d >= waiting_since
        ]
        responded_on = answered[0] if answered else None
        days_waiting = (
            (today - waiting_since).days
            if waiting_since is not None and responded_on is None
            else None
        )
        states.append(
            TargetState(
                target=target,
                verified=verified,
                reached_on=reached_on,
                delivered_on=delivered_on,
                responded_on=responded_on,
                waiting_since=waiting_since,
                days_waiting=days_waiting,
            )
        )
    return states
