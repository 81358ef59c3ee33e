""" "Volunteer here" on an organization's public page (organizations.sections), and the
volunteers' link in the organizer menu."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy

from groundswell.organizations import sections
from groundswell.organizations.models import Membership, Organization


class VolunteerHere:
    name = "volunteers"
    order = 5

    def public(self, organization: Organization, request: HttpRequest) -> SafeString | None:
        return render_to_string(
            "volunteers/_organization_signup.html", {"organization": organization}, request=request
        )

    def manage(self, membership: Membership, request: HttpRequest) -> SafeString | None:
        return None

    def waiting(self, membership: Membership) -> list[sections.Waiting]:
        return []


def register() -> None:
    sections.register(VolunteerHere())
    sections.register_link(
        sections.NavLink("volunteers", gettext_lazy("Volunteers"), "volunteers_manage:pipeline", 40)
    )
