"""Organizer pages that gather several domains: the /manage/ start page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from groundswell.accounts.models import User
from groundswell.organizations.models import Membership


@require_safe
@login_required
def manage_index(request: HttpRequest) -> HttpResponse:
    """The organizations the signed-in user works for, with their role in each."""
    assert isinstance(request.user, User)
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("organization")
        .order_by("organization__name")
    )
    return render(request, "front/manage_index.html", {"memberships": memberships})
