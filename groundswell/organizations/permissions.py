"""Who may do what in an organization's part of /manage/."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from groundswell.organizations.models import Membership, Organization, Role


def membership_for(
    request: HttpRequest, org_slug: str, minimum: str = Role.ORGANIZER
) -> Membership:
    """The signed-in user's membership in the organization, or 403.

    404 for an organization that does not exist; 403 (the same for everyone) when the
    user holds no role there or a role below `minimum`.
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
    return membership
