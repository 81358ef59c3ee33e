"""Reading the money: what each decision maker's committees received, from whom, and
the money behind a whip board's yes and no columns.

Receipts an amended report replaced (archived) count in no total. Donors an organizer
confirmed as one count as one (the root of `merged_into`); proposals waiting for review
change nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import Coalesce, ExtractYear

from groundswell.campaigns.models import Campaign
from groundswell.legislation.models import PROJECTED_YES, DecisionMaker, StanceValue, WhipBoard
from groundswell.research.models import Committee, Donor, DonorKind, Receipt

TOP = 10
NO_SIDE = frozenset({StanceValue.NO, StanceValue.LEANING_NO})


def counted(receipts: QuerySet[Receipt]) -> QuerySet[Receipt]:
    return receipts.filter(archived=False)


@dataclass
class TopDonor:
    donor: Donor
    total: Decimal
    receipts: int
    employers: list[str]
    committees: list[str]


@dataclass
class Money:
    decision_maker: DecisionMaker
    committees: list[Committee]
    total: Decimal = Decimal(0)
    top: list[TopDonor] = field(default_factory=list)
    by_kind: list[tuple[str, Decimal]] = field(default_factory=list)
    by_year: list[tuple[int, Decimal]] = field(default_factory=list)


def _root_id() -> Coalesce:
    return Coalesce(F("donor__merged_into"), F("donor"))


def top_donors(receipts: QuerySet[Receipt], limit: int = TOP) -> list[TopDonor]:
    rows = list(
        counted(receipts)
        .annotate(root=_root_id())
        .values("root")
        .annotate(total=Sum("amount"), n=Count("pk"))
        .order_by("-total", "root")[:limit]
    )
    donors = Donor.objects.in_bulk([r["root"] for r in rows])
    details: dict[int, tuple[set[str], set[str]]] = defaultdict(lambda: (set(), set()))
    for root, employer, committee in (
        counted(receipts)
        .annotate(root=_root_id())
        .filter(root__in=[r["root"] for r in rows])
        .values_list("root", "employer", "committee__name")
    ):
        if employer:
            details[root][0].add(employer)
        details[root][1].add(committee)
    return [
        TopDonor(
            donors[r["root"]],
            r["total"],
            r["n"],
            sorted(details[r["root"]][0]),
            sorted(details[r["root"]][1]),
        )
        for r in rows
    ]


def for_decision_maker(decision_maker: DecisionMaker) -> Money:
    committees = list(Committee.objects.filter(decision_maker=decision_maker))
    receipts = Receipt.objects.filter(committee__in=committees)
    money = Money(decision_maker, committees)
    money.total = counted(receipts).aggregate(t=Sum("amount"))["t"] or Decimal(0)
    money.top = top_donors(receipts)
    labels = dict(DonorKind.choices)
    money.by_kind = [
        (str(labels.get(r["donor__kind"], r["donor__kind"])), r["t"])
        for r in counted(receipts).values("donor__kind").annotate(t=Sum("amount")).order_by("-t")
    ]
    money.by_year = [
        (r["year"], r["t"])
        for r in counted(receipts)
        .annotate(year=ExtractYear("received"))
        .values("year")
        .annotate(t=Sum("amount"))
        .order_by("year")
    ]
    return money


@dataclass
class Side:
    label: str
    members: list[tuple[DecisionMaker, Decimal]]
    total: Decimal
    top: list[TopDonor]


def boards_for(campaign: Campaign) -> list[WhipBoard]:
    """The public whip boards of the campaign owner on its demands' matters, when the
    members of the matter's body have tracked committees (else there is no money to show)."""
    if not Committee.objects.exclude(decision_maker=None).exists():
        return []
    matters = campaign.demands.exclude(matter=None).values("matter")
    return list(
        WhipBoard.objects.filter(
            organization_id=campaign.owner_id, matter__in=matters, is_public=True
        ).select_related("matter")
    )


def behind_board(board: WhipBoard) -> tuple[Side, Side]:
    """The money raised by the members standing yes (or leaning yes) and no (or leaning
    no) on the board's matter, with each side's top donors."""
    stances = board.stances.select_related("decision_maker")
    yes = [s.decision_maker for s in stances if s.value in PROJECTED_YES]
    no = [s.decision_maker for s in stances if s.value in NO_SIDE]
    sides = []
    for label, people in ((str(StanceValue.YES.label), yes), (str(StanceValue.NO.label), no)):
        receipts = Receipt.objects.filter(committee__decision_maker__in=people)
        per_person = dict(
            counted(receipts)
            .values_list("committee__decision_maker")
            .annotate(t=Sum("amount"))
            .values_list("committee__decision_maker", "t")
        )
        members = sorted(
            ((p, per_person.get(p.pk) or Decimal(0)) for p in people), key=lambda m: -m[1]
        )
        total = sum((m[1] for m in members), Decimal(0))
        sides.append(Side(label, members, total, top_donors(receipts, 5)))
    return sides[0], sides[1]


def by_stance(board: WhipBoard) -> dict[str, Decimal]:
    """What the committees of the members standing at each stance received (counted
    receipts only), for every stance somebody on the board holds."""
    stances = dict(board.stances.values_list("decision_maker", "value"))
    received = dict(
        counted(Receipt.objects.filter(committee__decision_maker__in=list(stances)))
        .values_list("committee__decision_maker")
        .annotate(t=Sum("amount"))
        .values_list("committee__decision_maker", "t")
    )
    totals: dict[str, Decimal] = {}
    for person, value in stances.items():
        totals[value] = totals.get(value, Decimal(0)) + (received.get(person) or Decimal(0))
    return totals
