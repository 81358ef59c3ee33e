"""An organization's petitions on its public page and its organizer overview
(organizations.sections), and the petitions' links in the site and organizer menus."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy, ngettext

from groundswell.core import navigation
from groundswell.organizations import sections
from groundswell.organizations.models import InvitationState, Membership, Organization, Role
from groundswell.petitions.models import Petition, SponsorInvitation


class OrganizationPetitions:
    name = "petitions"
    order = 20

    def public(self, organization: Organization, request: HttpRequest) -> SafeString | None:
        owned = Petition.objects.published().filter(owner=organization)
        sponsored = Petition.objects.published().filter(sponsors=organization)
        return render_to_string(
            "petitions/_organization_petitions.html",
            {
                "petitions_owned": owned.select_related("owner", "count"),
                "petitions_sponsored": sponsored.select_related("owner", "count"),
            },
            request=request,
        )

    def manage(self, membership: Membership, request: HttpRequest) -> SafeString | None:
        organization = membership.organization
        owned = Petition.objects.filter(owner=organization).select_related("count")
        sponsored = Petition.objects.filter(sponsors=organization).select_related("owner", "count")
        return render_to_string(
            "petitions/manage/_organization_petitions.html",
            {
                "organization": organization,
                "petitions_owned": owned.order_by("-created_at"),
                "petitions_sponsored": sponsored.order_by("-created_at"),
            },
            request=request,
        )

    def waiting(self, membership: Membership) -> list[sections.Waiting]:
        organization = membership.organization
        pending = SponsorInvitation.objects.filter(
            organization=organization, state=InvitationState.PENDING
        ).count()
        if not pending:
            return []
        text = ngettext(
            "An invitation to co-sponsor a petition",
            "%(count)s invitations to co-sponsor a petition",
            pending,
        ) % {"count": pending}
        return [
            sections.Waiting(
                text=text, url=reverse("petitions_manage:sponsorships", args=[organization.slug])
            )
        ]


def register() -> None:
    sections.register(OrganizationPetitions())
    sections.register_link(
        sections.NavLink(
            "rules", gettext_lazy("Access rules"), "petitions_manage:rules", 100, Role.ADMIN
        )
    )
    navigation.register(
        navigation.Link("petitions", gettext_lazy("Petitions"), "petitions:list", 10)
    )
