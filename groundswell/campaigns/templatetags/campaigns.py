"""{% load campaigns %}: campaign parts other apps' templates show, without those apps
importing campaigns (the organization page lists its campaigns this way)."""

from __future__ import annotations

from typing import Any

from django import template

from groundswell.campaigns.models import Campaign
from groundswell.organizations.models import Organization

register = template.Library()


@register.inclusion_tag("campaigns/_organization_campaigns.html")
def organization_campaigns(organization: Organization) -> dict[str, Any]:
    """{% organization_campaigns organization %}: the published campaigns it leads, then
    those it is a partner in, each with "Learn more »"."""
    campaigns = list(
        Campaign.objects.published()
        .involving(organization)
        .select_related("owner")
        .order_by("status", "-created_at")
    )
    for campaign in campaigns:
        campaign.is_partnered = campaign.owner_id != organization.pk  # type: ignore[attr-defined]
    campaigns.sort(key=lambda c: c.is_partnered)  # type: ignore[attr-defined]
    return {"campaigns": campaigns}
