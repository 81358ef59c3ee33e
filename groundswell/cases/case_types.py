"""Every change to an organization's case types: their statuses (in order, the last one
closes a case), activity types and planned activities (due some hours or days after a
case's reference date). Owners and case managers change them; cases already open keep
the activities they were planned with."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models.functions import Lower
from django.utils.text import slugify
from django.utils.translation import gettext as _

from groundswell.cases import audit
from groundswell.cases.models import ActivityType, Case, CaseStatus, CaseType, is_case_manager
from groundswell.organizations.models import Membership, Organization, Role

if TYPE_CHECKING:
    from groundswell.accounts.models import User

DEFAULT_ACTIVITY_TYPES = ["Call", "Visit", "Letter", "Meeting", "Court date", "Filing"]


class CaseTypeRefused(ValueError):
    """The case type cannot be saved as asked; `message` says why, translated."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def may_configure(organization: Organization, user: User) -> bool:
    """Owners and case managers change the case types."""
    membership = Membership.objects.filter(organization=organization, user=user).first()
    return membership is not None and (membership.role == Role.OWNER or is_case_manager(membership))


def _distinct(names: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for name in names:
        name = " ".join(name.split())[:100]
        if name:
            seen.setdefault(name.lower(), name)
    return list(seen.values())


def save_case_type(
    organization: Organization,
    *,
    case_type: CaseType | None = None,
    name: str,
    emergency: bool,
    public: bool,
    statuses: list[str],
    activity_types: list[str],
    planned: list[tuple[str, int]],
    by: User,
) -> CaseType:
    """Create (case_type None) or change a case type. Statuses are matched by name: a
    kept one keeps its cases; a status some case is in cannot be dropped (the refusal
    says which), and nothing is changed then."""
    if not may_configure(organization, by):
        raise PermissionError("only owners and case managers change case types")
    if case_type is not None and case_type.organization_id != organization.pk:
        raise PermissionError("the case type belongs to another organization")
    name = " ".join(name.split())[:100]
    statuses = _distinct(statuses)
    if not name:
        raise CaseTypeRefused(_("Give the case type a name."))
    if len(statuses) < 2:
        raise CaseTypeRefused(
            _("List at least two statuses: one for open cases, and the last one, which closes.")
        )
    others = CaseType.objects.filter(organization=organization).annotate(lower=Lower("name"))
    if case_type is not None:
        others = others.exclude(pk=case_type.pk)
    if others.filter(lower=name.lower()).exists():
        raise CaseTypeRefused(_("You already have a case type with that name."))
    wanted = {status.lower() for status in statuses}
    if case_type is not None:
        for status in case_type.statuses.all():
            if status.name.lower() not in wanted:
                used = Case.objects.filter(status=status).count()
                if used:
                    raise CaseTypeRefused(
                        _(
                            "The status “%(status)s” cannot be removed: %(count)s case(s) "
                            "are in it. Move them to another status first."
                        )
                        % {"status": status.name, "count": used}
                    )
    with transaction.atomic():
        if case_type is None:
            case_type = CaseType.objects.create(
                organization=organization,
                slug=_free_slug(organization, name),
                name=name,
                emergency=emergency,
                public=public,
                order=CaseType.objects.filter(organization=organization).count(),
            )
        else:
            case_type.name, case_type.emergency, case_type.public = name, emergency, public
            case_type.save(update_fields=["name", "emergency", "public"])
        existing = {status.name.lower(): status for status in case_type.statuses.all()}
        last = len(statuses) - 1
        for order, status_name in enumerate(statuses):
            key = status_name.lower()
            status = existing.pop(key) if key in existing else CaseStatus(case_type=case_type)
            status.name, status.order, status.closes = status_name, order, order == last
            status.save()
        CaseStatus.objects.filter(pk__in=[status.pk for status in existing.values()]).delete()
        kinds = {kind.name.lower(): kind for kind in case_type.activity_types.all()}
        for order, kind_name in enumerate(_distinct(activity_types)):
            key = kind_name.lower()
            kind = kinds.pop(key) if key in kinds else ActivityType(case_type=case_type)
            kind.name, kind.order = kind_name, order
            kind.save()
        ActivityType.objects.filter(pk__in=[kind.pk for kind in kinds.values()]).delete()
        case_type.planned.all().delete()
        for title, hours in planned:
            case_type.planned.create(title=title[:200], offset_hours=hours)
        audit.record(
            None, "type_saved", by=by, organization_id=organization.pk, detail=case_type.name
        )
    return case_type


def _free_slug(organization: Organization, name: str) -> str:
    base = slugify(name)[:50] or "type"
    slug, number = base, 1
    while CaseType.objects.filter(organization=organization, slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug
