"""Statistics of a complaint data set that a demand page can cite.

Every figure is counted from one query, `allegations(dataset, filters)`, so the page,
its chart, its table and its CSV export (the same rows) always agree, and the filters
shown beside it reproduce it. The unit is the allegation (one complaint against one
officer), as the Citizens Police Data Project counts them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, QuerySet
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from groundswell.research.models import Allegation, ChartCitation, Dataset

SUSTAINED = "sustained"


@dataclass(frozen=True)
class Filters:
    year_from: int | None = None
    year_to: int | None = None
    category: str = ""
    ward: int | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> Filters:
        """Filters from a query string or a stored citation; what does not read as a
        number is left out (a bad year filters nothing rather than failing)."""

        def number(name: str, low: int, high: int) -> int | None:
            try:
                value = int(str(data.get(name) or "").strip())
            except ValueError:
                return None
            return value if low <= value <= high else None

        return cls(
            year_from=number("year_from", 1900, 2200),
            year_to=number("year_to", 1900, 2200),
            category=str(data.get("category") or "").strip()[:200],
            ward=number("ward", 1, 999),
        )

    def as_mapping(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}

    def described(self) -> list[str]:
        """The filters in words, for the page beside the chart."""
        words = []
        if self.year_from:
            words.append(_("from %(year)s") % {"year": self.year_from})
        if self.year_to:
            words.append(_("through %(year)s") % {"year": self.year_to})
        if self.category:
            words.append(_("category: %(category)s") % {"category": self.category})
        if self.ward:
            words.append(_("ward %(ward)s") % {"ward": self.ward})
        return words or [_("all allegations")]


def allegations(dataset: Dataset, filters: Filters) -> QuerySet[Allegation]:
    rows = Allegation.objects.filter(dataset=dataset)
    if filters.year_from:
        rows = rows.filter(incident_date__year__gte=filters.year_from)
    if filters.year_to:
        rows = rows.filter(incident_date__year__lte=filters.year_to)
    if filters.category:
        rows = rows.filter(category__iexact=filters.category)
    if filters.ward:
        rows = rows.filter(ward=filters.ward)
    return rows


@dataclass(frozen=True)
class Figure:
    """One statistic: its rows (label, count) in the order shown, and the total."""

    measure: str
    title: str
    rows: list[tuple[str, int]]
    total: int
    note: str = ""

    def share(self, count: int) -> float:
        return count / self.total if self.total else 0.0


def _grouped(rows: QuerySet[Allegation], column: str, blank: str) -> list[tuple[str, int]]:
    """Most frequent first; a tie in label order; the blank group last of its tie."""
    counted = sorted(
        rows.values(column).annotate(n=Count("pk")).order_by(),
        key=lambda r: (-r["n"], r[column] in (None, ""), str(r[column] or "")),
    )
    return [(str(r[column]) if r[column] not in (None, "") else blank, r["n"]) for r in counted]


def sustained(rows: QuerySet[Allegation]) -> tuple[int, int]:
    """(sustained, with a finding): allegations still open (no finding) are not in
    the rate's denominator."""
    found = rows.exclude(finding="")
    return found.filter(finding__iexact=SUSTAINED).count(), found.count()


def figure(dataset: Dataset, measure: str, filters: Filters) -> Figure:
    rows = allegations(dataset, filters)
    total = rows.count()
    Measure = ChartCitation.Measure
    if measure == Measure.CATEGORY:
        return Figure(measure, _("Allegations by category"), _grouped(rows, "category", "—"), total)
    if measure == Measure.FINDING:
        hits, found = sustained(rows)
        rate = f"{100 * hits / found:.1f}" if found else "0.0"
        note = _(
            "%(sustained)s of %(found)s allegations with a finding were sustained (%(rate)s%%)."
        ) % {
            "sustained": hits,
            "found": found,
            "rate": rate,
        }
        return Figure(
            measure, _("Findings"), _grouped(rows, "finding", _("No finding yet")), total, note
        )
    if measure == Measure.OUTCOME:
        return Figure(
            measure, _("Discipline outcomes"), _grouped(rows, "outcome", _("None recorded")), total
        )
    if measure == Measure.WARD:
        counted = (
            rows.values("ward").annotate(n=Count("pk")).order_by(F("ward").asc(nulls_last=True))
        )
        ward_rows = [
            (_("Ward %(n)s") % {"n": r["ward"]} if r["ward"] else _("No ward"), r["n"])
            for r in counted
        ]
        return Figure(measure, _("Allegations by ward"), ward_rows, total)
    counted = (
        rows.annotate(year=ExtractYear("incident_date"))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("year")
    )
    return Figure(
        Measure.YEAR, _("Allegations by year"), [(str(r["year"]), r["n"]) for r in counted], total
    )


EXPORT_HEADER = [
    "crid",
    "officer_id",
    "incident_date",
    "category",
    "finding",
    "outcome",
    "beat",
    "location",
    "ward",
]


def export_rows(dataset: Dataset, filters: Filters) -> list[list[str]]:
    """The query's rows as the CSV export writes them (header first)."""
    out = [EXPORT_HEADER]
    for a in allegations(dataset, filters).order_by("incident_date", "crid", "officer_ref"):
        out.append(
            [
                a.crid,
                a.officer_ref,
                a.incident_date.isoformat(),
                a.category,
                a.finding,
                a.outcome,
                a.beat,
                a.location,
                str(a.ward or ""),
            ]
        )
    return out
