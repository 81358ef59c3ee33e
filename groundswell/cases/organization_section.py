"""The cases' parts of an organization's pages (organizations.sections): on its public
page, the link to ask it for help for someone in prison (when it takes requests); for its
case managers, the cases that wait for triage."""

from __future__ import annotations

from django.db.models import Exists, OuterRef
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import ngettext

from groundswell.cases.models import Case, CaseRole, CaseType, is_case_manager
from groundswell.organizations import sections
from groundswell.organizations.models import Membership, Organization


class CasesSection:
    name = "cases"
    order = 60

    def public(self, organization: Organization, request: HttpRequest) -> SafeString | None:
        if not CaseType.objects.filter(organization=organization, public=True).exists():
            return None
        return render_to_string(
            "cases/_organization_request.html", {"organization": organization}, request=request
        )

    def manage(self, membership: Membership, request: HttpRequest) -> SafeString | None:
        return None

    def waiting(self, membership: Membership) -> list[sections.Waiting]:
        """For a case manager: the open cases nobody is assigned to yet."""
        if not is_case_manager(membership):
            return []
        assigned = CaseRole.objects.filter(case=OuterRef("pk"), user__isnull=False)
        count = Case.objects.visible_to(membership).open().filter(~Exists(assigned)).count()
        if not count:
            return []
        text = ngettext(
            "%(count)s case waits for someone to be assigned",
            "%(count)s cases wait for someone to be assigned",
            count,
        ) % {"count": count}
        url = reverse("cases_manage:index", args=[membership.organization.slug])
        return [sections.Waiting(text=text, url=url)]
