"""Reading clauses: where each stands in the newest version of its document, and what
a campaign's demands cite.

A clause quotes a passage of one version. In the document's newest version the
passage is either still there word for word ("still in force"), changed (the section
is there without the passage), or gone (no section of that number). A demand is
addressed by the newest version when every clause it cites was changed or removed
there: the language it objects to is no longer in force.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from groundswell.campaigns.models import Campaign, Demand
from groundswell.research import text as texts
from groundswell.research.models import ChartCitation, Clause, Section, Version

UNCHANGED, CHANGED, REMOVED, NEWEST = "unchanged", "changed", "removed", "newest"


@dataclass
class Standing:
    clause: Clause
    state: str
    newest: Version | None
    newest_section: Section | None

    @property
    def label(self) -> str:
        if self.state == NEWEST:
            return _("in the newest version (%(label)s)") % {
                "label": self.clause.section.version.label
            }
        assert self.newest is not None
        words = {
            UNCHANGED: _("still in the %(label)s version"),
            CHANGED: _("changed in the %(label)s version"),
            REMOVED: _("removed from the %(label)s version"),
        }
        return words[self.state] % {"label": self.newest.label}


def standing(clause: Clause) -> Standing:
    newest = clause.document.newest()
    if newest is None or newest.pk == clause.section.version_id:
        return Standing(clause, NEWEST, newest, clause.section)
    section = newest.sections.filter(number=clause.section.number).first()
    if section is None:
        return Standing(clause, REMOVED, newest, None)
    if texts.normalized(clause.quote) in texts.normalized(section.text):
        return Standing(clause, UNCHANGED, newest, section)
    return Standing(clause, CHANGED, newest, section)


def cited_by(demand: Demand) -> list[Standing]:
    clauses = Clause.objects.filter(demands=demand).select_related(
        "document", "section", "section__version"
    )
    return [standing(c) for c in clauses]


def addressed(standings: list[Standing]) -> bool:
    return bool(standings) and all(s.state in (CHANGED, REMOVED) for s in standings)


@dataclass
class DemandResearch:
    demand: Demand
    clauses: list[Standing]
    charts: list[ChartCitation]

    @property
    def addressed(self) -> bool:
        return addressed(self.clauses)

    @property
    def url(self) -> str:
        return reverse("research:demand", args=[self.demand.pk])


def for_campaign(campaign: Campaign) -> list[DemandResearch]:
    """The campaign's demands that cite a clause or a chart, in order."""
    found = []
    for demand in campaign.demands.all():
        standings = cited_by(demand)
        charts = list(ChartCitation.objects.filter(demand=demand).select_related("dataset"))
        if standings or charts:
            found.append(DemandResearch(demand, standings, charts))
    return found
