"""The figures a support campaign's public page shows about the cases it supports
("37 torture claims we support are filed at the TIRC, the oldest waiting 9 years"):
open cases linked to it publicly, by type and status, each group only when it holds
at least MIN_GROUP cases, so that no figure is about one person. No totals are shown
beside the groups (a total minus the groups shown would give a hidden group's size),
and nothing of any case itself: no names, facilities, numbers or dates."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Min
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from groundswell.campaigns.registry import Section
from groundswell.cases.models import Case

if TYPE_CHECKING:
    from groundswell.campaigns.models import Campaign

MIN_GROUP = 5  # the fewest cases a figure may count


@dataclass(frozen=True)
class Figure:
    case_type: str
    status: str
    count: int
    oldest_years: int  # whole years since the oldest one's reference date


def open_case_figures(campaign: Campaign, today: datetime.date | None = None) -> list[Figure]:
    """The open cases publicly linked to the campaign, by type and status, in groups of
    at least MIN_GROUP (smaller groups are left out, not merged)."""
    today = today or timezone.localdate()
    groups = (
        Case.objects.open()
        .filter(campaign=campaign, campaign_public=True, organization_id=campaign.owner_id)
        .values("case_type__name", "status__name")
        .annotate(count=Count("pk"), oldest=Min("reference_date"))
        .filter(count__gte=MIN_GROUP)
        .order_by("-count", "case_type__name", "status__name")
    )
    return [
        Figure(
            case_type=group["case_type__name"],
            status=group["status__name"],
            count=group["count"],
            oldest_years=max(0, (today - group["oldest"]).days // 365),
        )
        for group in groups
    ]


class CaseFigures:
    name = "cases"
    order = 40

    def section(self, campaign: Campaign, request: HttpRequest) -> Section | None:
        figures = open_case_figures(campaign)
        if not figures:
            return None
        html = render_to_string(
            "cases/_campaign_figures.html",
            {"figures": figures, "campaign": campaign, "MIN_GROUP": MIN_GROUP},
            request,
        )
        return Section(key="cases", heading=_("The cases this campaign supports"), html=html)
