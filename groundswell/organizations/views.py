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
    # Campaigns, petitions and the volunteer form come from their own apps, through
    # organizations.sections (read by the template).
    return render(
        request,
        "organizations/detail.html",
        {
            "organization": organization,
            "members": organization.members.all() if organization.is_coalition else [],
            "coalitions": organization.coalitions.all(),
        },
    )
