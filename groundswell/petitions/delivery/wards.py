"""A petition's verified signers by ward: the figures (petitions.counts.by_district),
the alderperson holding each ward's office today, and the map.

Only ward facts count here (a point given, an address found to its rooftop or its
block): a signer located by ZIP code alone is never put in a ward (counts.by_district
leaves them out; counts.district_figures says how many).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext

from groundswell.districts import svg
from groundswell.districts.models import DistrictSet, Kind
from groundswell.legislation.models import DecisionMaker, Office, Term
from groundswell.petitions import counts
from groundswell.petitions.models import Petition, Target


@dataclass(frozen=True)
class WardRow:
    division_id: str
    label: str  # "Ward 12", in the reader's language
    number: int | None
    alderperson: DecisionMaker | None
    verified: int


def ward_map_set() -> DistrictSet | None:
    """The ward map in force today."""
    return DistrictSet.objects.current().get(Kind.WARD)


def signers_by_ward(petition: Petition) -> dict[str, int]:
    """{division id: verified signers} of the petition (counts.by_district)."""
    return counts.by_district(petition)


def holders_by_division() -> dict[str, DecisionMaker]:
    """Who holds each district's office today, by the office's division id."""
    terms = (
        Term.objects.current()
        .seated()
        .exclude(office__division_id="")
        .select_related("decision_maker", "office")
        .order_by("start_date")
    )
    return {t.office.division_id: t.decision_maker for t in terms if t.office is not None}


def ward_rows(petition: Petition, values: dict[str, int] | None = None) -> list[WardRow]:
    """One row per ward of the map in force, in ward order, with its alderperson and
    its verified signers (0 where none)."""
    district_set = ward_map_set()
    if district_set is None:
        return []
    values = signers_by_ward(petition) if values is None else values
    holders = holders_by_division()
    outline = svg.outline(district_set)
    return [
        WardRow(
            division_id=area.division_id,
            label=area.label(),
            number=area.number,
            alderperson=holders.get(area.division_id),
            verified=values.get(area.division_id, 0),
        )
        for area in outline.areas
    ]


def ward_office(target: Target) -> Office | None:
    """The district office (an alderperson's ward) the target's decision maker holds
    today, if any: the one whose signers a packet for them lists."""
    if target.decision_maker_id is None:
        return None
    term = (
        Term.objects.current()
        .seated()
        .filter(decision_maker_id=target.decision_maker_id)
        # A ward's office only: a city-wide seat (the Mayor's, whose division is the
        # city) is not a district whose signers the packet would list.
        .filter(office__division_id__contains="/ward:")
        .select_related("office")
        .order_by("start_date")
        .first()
    )
    return term.office if term is not None else None


def ward_map(
    petition: Petition, values: dict[str, int] | None = None, *, element_id: str = ""
) -> SafeString:
    """The choropleth of verified signers by ward, in the reader's language; empty when
    no ward map is loaded. The page puts ward_rows beside it as its table."""
    district_set = ward_map_set()
    if district_set is None:
        return SafeString("")
    values = signers_by_ward(petition) if values is None else values
    return svg.choropleth(
        svg.outline(district_set),
        values,
        label=gettext("Map of verified signers by ward; the table that follows gives the numbers."),
        describe=describe,
        legend_title=gettext("Verified signers"),
        legend_label=legend_label,
        empty_label=gettext("None"),
        element_id=element_id,
    )


def describe(area: svg.Area, value: int) -> str:
    return ngettext(
        "%(ward)s: %(count)s verified signer",
        "%(ward)s: %(count)s verified signers",
        value,
    ) % {"ward": area.label(), "count": value}


def legend_label(low: int, high: int) -> str:
    if low == high:
        return str(low)
    return gettext("%(low)s to %(high)s") % {"low": low, "high": high}
