"""Public organization pages: the directory and each organization's page."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from groundswell.organizations.models import Organization

PAGE_SIZE = 50


@require_safe
def organization_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(Organization.objects.all(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "organizations/list.html", {"page": page})


@require_safe
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    organization = get_object_or_404(Organization, slug=slug)
    # Reverse relations from petitions: this lower app reads them without importing petitions.
    owned = organization.petitions_owned.published().select_related("owner", "count")
    sponsored = organization.petitions_sponsored.published().select_related("owner", "count")
    return render(
        request,
        "organizations/detail.html",
        {
            "organization": organization,
            "petitions_owned": owned,
            "petitions_sponsored": sponsored,
            "members": organization.members.all() if organization.is_coalition else [],
            "coalitions": organization.coalitions.all(),
        },
    )
