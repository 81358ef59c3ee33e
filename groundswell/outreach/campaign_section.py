"""A campaign's “tell your alderperson” actions on its page (campaigns.registry)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from groundswell.campaigns.models import Campaign
from groundswell.campaigns.registry import Item, Section
from groundswell.outreach.models import OutreachAction


class OutreachSection:
    name = "outreach"
    order = 15  # after the petitions, before the events

    def section(self, campaign: Campaign, request: HttpRequest) -> Section | None:
        """The campaign's published actions, each a card linking to its page."""
        owned = OutreachAction.objects.published().filter(campaign=campaign)
        items = [
            Item(
                title=action.title,
                url=action.get_absolute_url(),
                detail=action.get_target_display(),
            )
            for action in owned.order_by("-created_at")[:5]
        ]
        if not items:
            return None
        return Section(key="outreach", heading=_("Contact your decision makers"), items=items)
