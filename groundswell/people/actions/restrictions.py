"""Setting and lifting a contact restriction ("do not contact", "safe to contact only
by …"): an organizer's, with a reason, in the organization's audit log (which names
the kind, never the reason: erasure cannot reach into the log)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from groundswell.organizations.models import Membership
from groundswell.people import audit
from groundswell.people.models import AuditEvent, ContactRestriction, Supporter

if TYPE_CHECKING:
    from groundswell.accounts.models import User


class RestrictionRefused(ValueError):
    """The restriction cannot be set as asked; `message` says why, translated."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _check_staff(supporter: Supporter, by: User) -> None:
    if not Membership.objects.filter(organization_id=supporter.organization_id, user=by).exists():
        raise PermissionError("only the organization's staff restricts contact")


def set_contact_restriction(
    supporter: Supporter, *, kind: str, reason: str, through: str = "", by: User
) -> ContactRestriction:
    """Restrict how the organization's supporter may be contacted (replacing its earlier
    restriction, if any). Every email of the platform obeys it from then on."""
    _check_staff(supporter, by)
    reason, through = reason.strip(), through.strip()
    if kind not in ContactRestriction.Kind.values:
        raise RestrictionRefused(str(_("Choose one of the restrictions.")))
    if not reason:
        raise RestrictionRefused(str(_("Say why: the reason is kept with the restriction.")))
    if kind == ContactRestriction.Kind.THROUGH and not through:
        raise RestrictionRefused(str(_("Name the person to go through.")))
    if kind != ContactRestriction.Kind.THROUGH:
        through = ""
    with transaction.atomic():
        restriction, _created = ContactRestriction.objects.update_or_create(
            person_id=supporter.person_id,
            organization_id=supporter.organization_id,
            defaults={"kind": kind, "reason": reason, "through": through, "set_by": by},
        )
        audit.record(
            supporter.organization,
            AuditEvent.Action.CHANGED,
            user=by,
            person=supporter.person,
            detail=f"contact restriction set: {kind}",
            records=1,
        )
    return restriction


def lift_contact_restriction(supporter: Supporter, *, by: User) -> bool:
    """Lift the organization's restriction; returns False if there was none."""
    _check_staff(supporter, by)
    with transaction.atomic():
        removed, _counts = ContactRestriction.objects.filter(
            person_id=supporter.person_id, organization_id=supporter.organization_id
        ).delete()
        if removed:
            audit.record(
                supporter.organization,
                AuditEvent.Action.CHANGED,
                user=by,
                person=supporter.person,
                detail="contact restriction lifted",
                records=1,
            )
    return bool(removed)
