"""Every change to an organization's staff, invitations, profile and coalitions.

The rules about who may do what (only owners make owners, an organization always keeps
an owner) live here, so the manage pages, the admin and any command obey the same ones.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from groundswell.core import tokens
from groundswell.organizations import departures, emails
from groundswell.organizations.models import (
    ROLE_RANK,
    CoalitionInvitation,
    CoalitionMember,
    Invitation,
    InvitationState,
    Membership,
    Organization,
    OrganizationInvitation,
    Role,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser as User  # whichever model accounts sets

INVITATION_SALT = "groundswell.organizations.invitation"
INVITATION_MAX_AGE = datetime.timedelta(days=14)


class NotAllowed(Exception):
    """The rules forbid this change; the message says why, in the reader's language."""


class InvitationInvalid(Exception):
    """An invitation link that cannot be used (forged, expired, used or withdrawn)."""


# --- Who may do what -----------------------------------------------------------------------


def grantable_roles(actor: Membership) -> list[Role]:
    """The roles `actor` may give: owners any, admins admin or organizer, organizers none."""
    if actor.role == Role.OWNER:
        return [Role.OWNER, Role.ADMIN, Role.ORGANIZER]
    if actor.role == Role.ADMIN:
        return [Role.ADMIN, Role.ORGANIZER]
    return []


def can_manage(actor: Membership, target: Membership) -> bool:
    """Whether `actor` may change `target`'s role or remove them (owners only by owners)."""
    if not actor.has_role(Role.ADMIN):
        return False
    return target.role != Role.OWNER or actor.role == Role.OWNER


def _lock(organization: Organization) -> Organization:
    """Serialize staff changes per organization, so two owners cannot both step down."""
    return Organization.objects.select_for_update().get(pk=organization.pk)


def _current(membership: Membership) -> Membership:
    """The membership as it stands now (inside the lock), or NotAllowed if it is gone."""
    current = (
        Membership.objects.select_related("user", "organization").filter(pk=membership.pk).first()
    )
    if current is None:
        raise NotAllowed(_("%(name)s is no longer on the staff.") % {"name": membership.user})
    return current


def only_owner_refusal(organization: Organization, roles: dict[int, str | None]) -> str | None:
    """Why these changes (membership id → new role, None for removed) may not be made
    together, or None: an organization always keeps an owner. The manage pages' actions
    and the admin's staff list ask this one rule."""
    owners = {
        m.pk: m
        for m in Membership.objects.filter(organization=organization, role=Role.OWNER)
        .select_related("user")
        .order_by("pk")
    }
    if not owners:
        return None  # nothing to keep (an organization being set up by an operator)
    left = [pk for pk in owners if roles.get(pk, Role.OWNER) == Role.OWNER]
    added = [pk for pk, role in roles.items() if role == Role.OWNER and pk not in owners]
    if left or added:
        return None
    if len(owners) == 1:
        only = next(iter(owners.values()))
        return _("%(name)s is the only owner. Make someone else an owner first.") % {
            "name": only.user
        }
    return _("An organization keeps at least one owner. Make someone else an owner first.")


# --- Staff ---------------------------------------------------------------------------------


def change_role(actor: Membership, target: Membership, role: str) -> Membership:
    """Give `target` a new role in the organization `actor` manages.

    Admins may move staff between admin and organizer; only owners may make or unmake
    owners; the last owner cannot step down.
    """
    with transaction.atomic():
        _lock(actor.organization)
        actor, target = _current(actor), _current(target)
        if target.organization_id != actor.organization_id:
            raise NotAllowed(_("That person is not on this organization's staff."))
        if not actor.has_role(Role.ADMIN):
            raise NotAllowed(_("Only owners and admins can change roles."))
        if not can_manage(actor, target) or Role(role) not in grantable_roles(actor):
            raise NotAllowed(
                _("Only an owner can make someone an owner or change an owner's role.")
            )
        refusal = only_owner_refusal(target.organization, {target.pk: role})
        if refusal:
            raise NotAllowed(refusal)
        target.role = role
        target.save(update_fields=["role"])
    return target


def remove_member(
    actor: Membership, target: Membership, *, successor: Membership | None = None
) -> None:
    """Take `target` off the staff (or, when actor is target, leave).

    Anyone may leave; admins may remove admins and organizers; only owners remove owners;
    the last owner can neither leave nor be removed. Their assigned work is handed over
    first (organizations.departures: the volunteers they followed up go to `successor`,
    or become unassigned), so nothing about the organization's supporters is sent to
    them afterwards.
    """
    with transaction.atomic():
        _lock(actor.organization)
        actor, target = _current(actor), _current(target)
        if target.organization_id != actor.organization_id:
            raise NotAllowed(_("That person is not on this organization's staff."))
        if actor.pk != target.pk and not actor.has_role(Role.ADMIN):
            raise NotAllowed(_("Only owners and admins can remove staff."))
        if actor.pk != target.pk and not can_manage(actor, target):
            raise NotAllowed(_("Only an owner can remove an owner."))
        refusal = only_owner_refusal(target.organization, {target.pk: None})
        if refusal:
            raise NotAllowed(refusal)
        if successor is not None:
            successor = _current(successor)
            if successor.organization_id != target.organization_id or successor.pk == target.pk:
                raise NotAllowed(_("Their work can only go to someone else on this staff."))
        departures.hand_back(target, successor)
        target.delete()


# --- Invitations ---------------------------------------------------------------------------


def invite_staff(
    actor: Membership, email: str, role: str, *, language: str | None = None
) -> Invitation:
    """Invite `email` to the staff of actor's organization with `role`, and email the link.

    An earlier open invitation to the same address is withdrawn, so only the newest link
    works. The email goes out from the worker, in `language` (default: the current one).
    """
    email = email.strip().lower()
    with transaction.atomic():
        organization = _lock(actor.organization)
        actor = _current(actor)
        if not actor.has_role(Role.ADMIN):
            raise NotAllowed(_("Only owners and admins can invite staff."))
        if Role(role) not in grantable_roles(actor):
            raise NotAllowed(_("Only an owner can invite someone as an owner."))
        if Membership.objects.filter(organization=organization, user__email=email).exists():
            raise NotAllowed(
                _("%(email)s is already on the staff of %(organization)s.")
                % {"email": email, "organization": organization.name}
            )
        Invitation.objects.filter(
            organization=organization, email=email, accepted_at=None, revoked_at=None
        ).update(revoked_at=timezone.now())
        invitation = Invitation.objects.create(
            organization=organization, email=email, role=role, invited_by=actor.user
        )
        # Queued in the same transaction: the invitation and its email stand or fall together.
        emails.send_invitation.enqueue(invitation.pk, language or translation.get_language())
    return invitation


def revoke_invitation(actor: Membership, invitation: Invitation) -> None:
    """Withdraw an invitation that has not been accepted; its link stops working."""
    with transaction.atomic():
        _lock(actor.organization)
        actor = _current(actor)
        if not actor.has_role(Role.ADMIN) or invitation.organization_id != actor.organization_id:
            raise NotAllowed(_("Only owners and admins can withdraw invitations."))
        changed = Invitation.objects.filter(
            pk=invitation.pk, accepted_at=None, revoked_at=None
        ).update(revoked_at=timezone.now())
        if not changed:
            raise NotAllowed(_("That invitation was already used or withdrawn."))


def invitation_token(invitation: Invitation) -> str:
    """The signed value in an invitation link; it names the invitation and its address."""
    return tokens.make([invitation.pk, invitation.email], salt=INVITATION_SALT, compress=True)


def invitation_expires_at(invitation: Invitation) -> datetime.datetime:
    return invitation.created_at + INVITATION_MAX_AGE


def _check_open(invitation: Invitation) -> None:
    if invitation.accepted_at is not None:
        raise InvitationInvalid(_("This invitation has already been used."))
    if invitation.revoked_at is not None:
        raise InvitationInvalid(
            _("This invitation was withdrawn. Ask %(organization)s to invite you again.")
            % {"organization": invitation.organization.name}
        )
    if timezone.now() > invitation_expires_at(invitation):
        raise InvitationInvalid(
            _("This invitation has expired. Ask %(organization)s to invite you again.")
            % {"organization": invitation.organization.name}
        )


def open_invitation(token: str) -> Invitation:
    """The open invitation a link names, or InvitationInvalid saying why it cannot be used."""
    reading = tokens.read(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
    if reading.expired:
        raise InvitationInvalid(
            _("This invitation has expired. Ask the organization to invite you again.")
        )
    named = reading.payload if isinstance(reading.payload, list) else []
    invitation = None
    if len(named) == 2 and isinstance(named[0], int) and isinstance(named[1], str):
        invitation = (
            Invitation.objects.select_related("organization", "invited_by")
            .filter(pk=named[0], email=named[1])
            .first()
        )
    if invitation is None:
        raise InvitationInvalid(
            _("This invitation link is not valid. Check that you copied the whole link.")
        )
    _check_open(invitation)
    return invitation


def accept_invitation(invitation: Invitation, user: User) -> Membership:
    """Put `user` (who owns the invited address) on the staff with the invited role."""
    with transaction.atomic():
        _lock(invitation.organization)
        invitation = Invitation.objects.select_related("organization").get(pk=invitation.pk)
        _check_open(invitation)
        if user.email.lower() != invitation.email.lower():
            raise InvitationInvalid(
                _("This invitation is for %(email)s, not for the account you are signed in with.")
                % {"email": invitation.email}
            )
        membership, created = Membership.objects.get_or_create(
            organization=invitation.organization, user=user, defaults={"role": invitation.role}
        )
        # Already on staff (added meanwhile): keep the higher of the two roles.
        if not created and ROLE_RANK[Role(invitation.role)] > ROLE_RANK[Role(membership.role)]:
            membership.role = invitation.role
            membership.save(update_fields=["role"])
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
    return membership


# --- Invitations between organizations ---------------------------------------------------
#
# One organization never speaks for another: naming it (as a co-sponsor, as a coalition
# member) invites it, and only its owners and admins answer. Petitions' co-sponsorship
# uses these too.

Invited = TypeVar("Invited", bound=OrganizationInvitation)


def speaking_for(actor: Membership, organization: Organization) -> Membership:
    """`actor` as it stands now, if it may speak for `organization` to another one
    (accept or decline its invitation, end a co-sponsorship or a membership): an owner
    or admin of it. NotAllowed otherwise."""
    actor = _current(actor)
    if actor.organization_id != organization.pk or not actor.has_role(Role.ADMIN):
        raise NotAllowed(
            _("Only an owner or an admin of %(organization)s can decide this.")
            % {"organization": organization.name}
        )
    return actor


def lock_pending(invitation: Invited) -> Invited:
    """The invitation's row, locked until the transaction ends, if it still waits for
    an answer: accepting and withdrawing at once cannot both happen."""
    locked = (
        type(invitation)
        ._default_manager.select_for_update(of=("self",))
        .select_related("organization")
        .get(pk=invitation.pk)
    )
    if not locked.is_pending:
        raise NotAllowed(_("This invitation was already answered or withdrawn."))
    return locked


def choose_invited(
    pending: QuerySet[Invited],
    members: Callable[[], QuerySet[Organization]],
    wanted: Iterable[Organization],
    *,
    invite: Callable[[Organization], object],
    by: User | None,
) -> set[int]:
    """Carry out an owner's choice of the organizations named beside it (co-sponsors of a
    petition, partners in a campaign), in the caller's transaction: each one newly named
    is invited (`invite`), a pending invitation no longer named is withdrawn. Returns the
    ids of the `members` (those who accepted) no longer named, for the caller to remove.
    `pending` is the subject's invitations; they are locked first, so one accepted
    meanwhile is then among the members."""
    chosen = {o.pk: o for o in wanted}
    waiting = {
        i.organization_id: i
        for i in pending.filter(state=InvitationState.PENDING).select_for_update()
    }
    current = set(members().values_list("pk", flat=True))
    for pk, organization in chosen.items():
        if pk not in current and pk not in waiting:
            invite(organization)
    for pk, invitation in waiting.items():
        if pk not in chosen:
            decide(invitation, InvitationState.WITHDRAWN, by=by)
    return current - chosen.keys()


def decide(invitation: OrganizationInvitation, state: str, *, by: User | None) -> None:
    """Record that a locked, pending invitation was accepted, declined or withdrawn."""
    invitation.state = state
    invitation.decided_by_id = by.pk if by is not None else None
    invitation.decided_at = timezone.now()
    invitation.save(update_fields=["state", "decided_by", "decided_at"])


# --- Profile and coalition -----------------------------------------------------------------


def update_profile(organization: Organization, *, previous_logo: str = "") -> None:
    """Save the organization's public profile; a replaced logo file is deleted after commit."""
    with transaction.atomic():
        organization.save()
        if previous_logo and previous_logo != organization.logo.name:
            transaction.on_commit(lambda: default_storage.delete(previous_logo))


def invite_to_coalition(actor: Membership, member: Organization) -> CoalitionInvitation:
    """Invite `member` to join the coalition that `actor` manages, and email its owners
    and admins. It becomes a member only when one of them accepts."""
    with transaction.atomic():
        coalition = _lock(actor.organization)
        actor = _current(actor)
        if not actor.has_role(Role.ADMIN):
            raise NotAllowed(_("Only owners and admins can change the coalition's members."))
        if not coalition.is_coalition:
            raise NotAllowed(_("%(name)s is not a coalition.") % {"name": coalition.name})
        if member.pk == coalition.pk:
            raise NotAllowed(_("A coalition cannot be a member of itself."))
        if CoalitionMember.objects.filter(coalition=coalition, organization=member).exists():
            raise NotAllowed(
                _("%(name)s is already a member of this coalition.") % {"name": member.name}
            )
        if (
            CoalitionInvitation.objects.pending()
            .filter(coalition=coalition, organization=member)
            .exists()
        ):
            raise NotAllowed(
                _("%(name)s is already invited and has not answered yet.") % {"name": member.name}
            )
        invitation = CoalitionInvitation.objects.create(
            coalition=coalition, organization=member, invited_by=actor.user
        )
        for answerer in member.answerers():
            emails.send_coalition_invitation.enqueue(invitation.pk, answerer.user_id)
    return invitation


def withdraw_coalition_invitation(actor: Membership, invitation: CoalitionInvitation) -> None:
    """Take back an invitation the organization has not answered yet."""
    with transaction.atomic():
        _lock(actor.organization)
        actor = _current(actor)
        if not actor.has_role(Role.ADMIN) or invitation.coalition_id != actor.organization_id:
            raise NotAllowed(
                _("Only owners and admins of the coalition can withdraw its invitations.")
            )
        decide(lock_pending(invitation), InvitationState.WITHDRAWN, by=actor.user)


def accept_coalition_invitation(
    actor: Membership, invitation: CoalitionInvitation
) -> CoalitionMember:
    """The invited organization joins the coalition, on the word of its owner or admin."""
    with transaction.atomic():
        locked = lock_pending(invitation)
        actor = speaking_for(actor, locked.organization)
        decide(locked, InvitationState.ACCEPTED, by=actor.user)
        member, _created = CoalitionMember.objects.get_or_create(
            coalition_id=locked.coalition_id, organization_id=locked.organization_id
        )
    return member


def decline_coalition_invitation(actor: Membership, invitation: CoalitionInvitation) -> None:
    """The invited organization says no; the coalition sees that it declined."""
    with transaction.atomic():
        locked = lock_pending(invitation)
        actor = speaking_for(actor, locked.organization)
        decide(locked, InvitationState.DECLINED, by=actor.user)


def leave_coalition(actor: Membership, coalition: Organization) -> None:
    """Take actor's organization out of `coalition`: a member may end its membership as
    the coalition may (remove_coalition_member)."""
    with transaction.atomic():
        actor = speaking_for(actor, actor.organization)
        deleted, _rows = CoalitionMember.objects.filter(
            coalition=coalition, organization=actor.organization
        ).delete()
        if not deleted:
            raise NotAllowed(
                _("%(organization)s is not a member of %(coalition)s.")
                % {"organization": actor.organization.name, "coalition": coalition.name}
            )


def remove_coalition_member(actor: Membership, member: Organization) -> None:
    """Take `member` out of the coalition that `actor` manages."""
    with transaction.atomic():
        coalition = _lock(actor.organization)
        actor = _current(actor)
        if not actor.has_role(Role.ADMIN):
            raise NotAllowed(_("Only owners and admins can change the coalition's members."))
        deleted, _rows = CoalitionMember.objects.filter(
            coalition=coalition, organization=member
        ).delete()
        if not deleted:
            raise NotAllowed(
                _("%(name)s is not a member of this coalition.") % {"name": member.name}
            )
