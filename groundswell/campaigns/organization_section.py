"""The campaigns an organization leads or partners in, on its public page
(organizations.sections), and the campaigns' links in the site and organizer menus."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy, ngettext

from groundswell.campaigns.models import PartnerInvitation
from groundswell.campaigns.templatetags.campaigns import organization_campaigns
from groundswell.core import navigation
from groundswell.organizations import sections
from groundswell.organizations.models import Membership, Organization


class OrganizationCampaigns:
    name = "campaigns"
    order = 10

    def public(self, organization: Organization, request: HttpRequest) -> SafeString | None:
        return render_to_string(
            "campaigns/_organization_campaigns.html",
            organization_campaigns(organization),
            request=request,
        )

    def manage(self, membership: Membership, request: HttpRequest) -> SafeString | None:
        return None

    def waiting(self, membership: Membership) -> list[sections.Waiting]:
        organization = membership.organization
        pending = PartnerInvitation.objects.pending().addressed_to(organization).count()
        if not pending:
            return []
        text = ngettext(
            "An invitation to be a partner in a campaign",
            "%(count)s invitations to be a partner in a campaign",
            pending,
        ) % {"count": pending}
        url = reverse("campaigns_manage:partnerships", args=[organization.slug])
        return [sections.Waiting(text=text, url=url)]


def register() -> None:
    sections.register(OrganizationCampaigns())
    sections.register_link(
        sections.NavLink("campaigns", gettext_lazy("Campaigns"), "campaigns_manage:list", 20)
    )
    navigation.register(
        navigation.Link("campaigns", gettext_lazy("Campaigns"), "campaigns:list", 20)
    )
