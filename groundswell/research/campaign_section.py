"""The research behind a campaign's demands, on the campaign's page (campaigns.registry):
each demand that cites a clause shows the quoted text, the section says which of the
campaign's points the newest version of the contract addresses, and links the money
behind the votes of its demands' public whip boards."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from groundswell.campaigns.models import Campaign
from groundswell.campaigns.registry import Section
from groundswell.research import clauses, money


class ResearchSection:
    name = "research"
    order = 5  # right after the demands: it is their evidence

    def section(self, campaign: Campaign, request: HttpRequest) -> Section | None:
        found = clauses.for_campaign(campaign)
        boards = money.boards_for(campaign)
        if not found and not boards:
            return None
        citing = [d for d in found if d.clauses]
        newest = next((s.newest for d in citing for s in d.clauses if s.newest), None)
        html = render_to_string(
            "research/_campaign_section.html",
            {
                "found": found,
                "citing": citing,
                "addressed": sum(1 for d in citing if d.addressed),
                "newest": newest,
                "boards": boards,
            },
            request=request,
        )
        return Section(key="research", heading=_("The research behind our demands"), html=html)
