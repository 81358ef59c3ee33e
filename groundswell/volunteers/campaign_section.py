"""The volunteer form's link on a campaign's page (campaigns.registry)."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from groundswell.campaigns.models import Campaign
from groundswell.campaigns.registry import Section
from groundswell.volunteers.models import VolunteerForm


class VolunteerSection:
    name = "volunteers"
    order = 30

    def section(self, campaign: Campaign, request: HttpRequest) -> Section | None:
        """A link to the owner organization's volunteer form for this campaign, while
        the form is taking sign-ups."""
        if not VolunteerForm.for_organization(campaign.owner).is_open:
            return None
        html = render_to_string(
            "volunteers/_campaign_section.html", {"campaign": campaign}, request=request
        )
        return Section(key="volunteer", heading=_("Volunteer"), html=html)
