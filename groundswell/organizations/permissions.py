"""Who may do what in an organization's part of /manage/."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import patch_cache_control

from groundswell.organizations.models import Membership, Organization, Role


class TwoFactorRequired(PermissionDenied):
    """The organization requires two-factor authentication and this session has not
    passed it. The accounts middleware turns it into a redirect to set-up; anywhere
    else it is still a PermissionDenied (403), so it fails closed."""

    def __init__(self, organization: Organization) -> None:
        super().__init__(organization.name)
        self.organization = organization


View = Callable[..., HttpResponseBase]


def membership_for(
    request: HttpRequest, org_slug: str, minimum: str = Role.ORGANIZER
) -> Membership:
    """The signed-in user's membership in the organization, or 403.

    404 for an organization that does not exist; 403 (the same for everyone) when the
    user holds no role there or a role below `minimum`; TwoFactorRequired when the
    organization requires two-factor authentication and this session has not passed it
    (`request.two_factor_verified`, set by groundswell.accounts.middleware).
    """
    organization = get_object_or_404(Organization, slug=org_slug)
    user = request.user
    if not user.is_authenticated:
        raise PermissionDenied
    membership = (
        Membership.objects.select_related("organization", "user")
        .filter(organization=organization, user=user)
        .first()
    )
    if membership is None or not membership.has_role(minimum):
        raise PermissionDenied
    if organization.require_two_factor and not getattr(request, "two_factor_verified", False):
        raise TwoFactorRequired(organization)
    return membership


def organizer_required(view: View) -> View:
    """Send a visitor who is not signed in to the login page; members get through to the
    view, which checks their role with membership_for(). Organizer pages hold supporters'
    data, so no browser or proxy keeps a copy (keep_private)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return keep_private(view(request, *args, **kwargs))

    return wrapper


def keep_private(response: HttpResponseBase) -> HttpResponseBase:
    """No browser or proxy keeps a copy of this response."""
    patch_cache_control(response, private=True, no_cache=True, no_store=True)
    return response


def organizer_pages_private(
    get_response: Callable[[HttpRequest], HttpResponseBase],
) -> Callable[[HttpRequest], HttpResponseBase]:
    """Middleware: every response under /manage/ is kept private, whichever decorator
    its view has (some have login_required only), and whoever answers (a view, a
    redirect to two-factor set-up, a CSRF failure)."""
    prefix: list[str] = []  # the organizer area's root, read from the URLs once

    def middleware(request: HttpRequest) -> HttpResponseBase:
        if not prefix:
            prefix.append(reverse("front_manage:index"))
        response = get_response(request)
        if request.path.startswith(prefix[0]):
            keep_private(response)
        return response

    return middleware
