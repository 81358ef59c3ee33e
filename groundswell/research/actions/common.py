"""What every research action shares: the refusal and the permission rule."""

from __future__ import annotations

from django.utils.translation import gettext as _

from groundswell.organizations.models import Membership, Organization, Role


class ResearchRefused(ValueError):
    """A change the research desk cannot take; the message says why, in the reader's
    language. Nothing was changed."""


def require_organizer(membership: Membership, organization: Organization | None = None) -> None:
    """Organizers (and above) of `organization` (the membership's own when None) only."""
    if not membership.has_role(Role.ORGANIZER):
        raise ResearchRefused(_("Only organizers can change the research desk."))
    if organization is not None and membership.organization_id != organization.pk:
        raise ResearchRefused(_("This belongs to another organization."))
