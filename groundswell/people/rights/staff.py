"""A supporter who is also on an organization's staff: an organizer account at one of
their addresses. Erasing their supporter data does not touch that account (its name,
role, sign-in and sessions are the organization's to decide about), so the data copy
and the erase page say so, each such organization's owners and admins are told when
they erase, and one of them decides: keep them on the staff, or take them off, handing
their work to another member (organizations.actions.remove_member), which ends the
account once no staff keeps it (accounts.actions.end_account)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from groundswell.accounts import actions as account_actions
from groundswell.organizations import actions as organization_actions
from groundswell.organizations.models import Membership
from groundswell.people import audit
from groundswell.people.actions import suppression
from groundswell.people.addresses import normalize_email
from groundswell.people.models import AuditEvent, Person, PersonEmail

if TYPE_CHECKING:
    from django.http import HttpRequest


def staff_memberships(person: Person) -> list[Membership]:
    """The staff places of the organizer accounts at the person's addresses."""
    others = PersonEmail.objects.filter(person=person).values_list("address", flat=True)
    typed = [person.email, *others]
    emails = {str(e).strip().lower() for e in typed if e}
    keys = {normalize_email(e) for e in emails}
    found = Membership.objects.filter(
        user__email__in=sorted(emails | keys), user__is_active=True
    ).select_related("user", "organization")
    return list(found.order_by("organization__name", "pk"))


def described(memberships: list[Membership]) -> list[dict[str, Any]]:
    """For the person's copy of their data and the erase page."""
    return [
        {
            "organization": m.organization.name,
            "role": str(m.get_role_display()),
            "account": m.user.email,
        }
        for m in memberships
    ]


def tell_organizations(memberships: list[Membership]) -> int:
    """Queue, for each staff place, an email to the organization's owners and admins
    (but the person) asking them to decide about the account; returns how many."""
    from groundswell.people.rights import tasks

    queued = 0
    for membership in memberships:
        for answerer in membership.organization.answerers():
            if answerer.user_id == membership.user_id:
                continue
            tasks.send_staff_erased.enqueue(
                membership.pk,
                answerer.user_id,
                key=f"people.staff_erased:{membership.pk}:{answerer.user_id}",
            )
            queued += 1
    return queued


def erased_their_data(member: Membership) -> bool:
    """Whether the member's sign-in address is on the suppression list as erased
    everywhere (they erased their supporter data themselves)."""
    value = suppression.email_value(normalize_email(member.user.email))
    return bool(suppression.blocked([value], None))


def decide(
    actor: Membership,
    target: Membership,
    *,
    keep: bool,
    successor: Membership | None = None,
    request: HttpRequest | None = None,
) -> bool:
    """An owner or admin decides about a staff member who erased their supporter data:
    `keep` them, or take them off the staff, their work going to `successor` (or back to
    nobody). Returns whether their account was ended (no staff keeps it any more).
    Raises organizations.actions.NotAllowed as remove_member does."""
    organization = actor.organization
    if not erased_their_data(target):
        # This page decides only about someone who erased: it never ends the account of
        # a colleague who did not (removing them from the staff is the staff page's).
        raise organization_actions.NotAllowed(
            _("%(email)s has not erased their data; nothing was changed.")
            % {"email": target.user.email}
        )
    if keep:
        audit.record(
            organization,
            AuditEvent.Action.CHANGED,
            request=request,
            detail="kept on the staff after erasing their supporter data",
        )
        return False
    with transaction.atomic():
        user = target.user
        organization_actions.remove_member(actor, target, successor=successor)
        ended = not Membership.objects.filter(user=user).exists()
        if ended:
            account_actions.end_account(user)
        audit.record(
            organization,
            AuditEvent.Action.ERASED,
            request=request,
            detail="staff account after an erasure: "
            + ("taken off the staff, account ended" if ended else "taken off the staff"),
        )
    return ended
