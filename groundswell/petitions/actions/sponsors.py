"""Co-sponsors: an organization named on a petition is invited, and co-sponsors only
once one of its owners or admins accepts."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from groundswell.organizations import actions as organization_actions
from groundswell.organizations.actions import NotAllowed
from groundswell.organizations.models import InvitationState, Membership, Organization
from groundswell.petitions import (
    emails,
    records,
    signing_facts,
)
from groundswell.petitions.models import (
    Petition,
    SponsorInvitation,
)

if TYPE_CHECKING:
    from groundswell.accounts.models import User


def set_sponsors(
    petition: Petition, organizations: Iterable[Organization], *, by: User | None
) -> None:
    """The owner's choice of co-sponsors. Each organization newly named is invited (its
    owners and admins are emailed); one no longer named has its invitation withdrawn,
    or stops co-sponsoring."""
    with transaction.atomic():
        gone = organization_actions.choose_invited(
            SponsorInvitation.objects.filter(petition=petition),
            petition.sponsors.all,
            [o for o in organizations if o.pk != petition.owner_id],
            invite=lambda organization: invite_sponsor(petition, organization, by=by),
            by=by,
        )
        if gone:
            petition.sponsors.remove(*gone)
    _forget_facts(petition.slug)


def invite_sponsor(
    petition: Petition, organization: Organization, *, by: User | None
) -> SponsorInvitation:
    """Invite `organization` to co-sponsor the petition, and email its owners and admins."""
    if organization.pk == petition.owner_id:
        raise NotAllowed(_("An organization cannot co-sponsor its own petition."))
    with transaction.atomic():
        if petition.sponsors.filter(pk=organization.pk).exists():
            raise NotAllowed(
                _("%(organization)s already co-sponsors this petition.")
                % {"organization": organization.name}
            )
        invitation, created = SponsorInvitation.objects.pending().get_or_create(
            petition=petition, organization=organization, defaults={"invited_by": by}
        )
        if created:
            for answerer in organization.answerers():
                emails.send_sponsor_invitation.enqueue(invitation.pk, answerer.user_id)
    return invitation


def accept_sponsorship(actor: Membership, invitation: SponsorInvitation) -> None:
    """Co-sponsor the petition, on the word of an owner or admin of the invited
    organization: it then shows under "Sponsored by", signers may agree to hear from
    it, and the petition's confirmed signers become known to it (never how to reach
    them: they did not agree to that when they signed)."""
    with transaction.atomic():
        locked = organization_actions.lock_pending(invitation)
        actor = organization_actions.speaking_for(actor, locked.organization)
        organization_actions.decide(locked, InvitationState.ACCEPTED, by=actor.user)
        petition = Petition.objects.get(pk=locked.petition_id)
        petition.sponsors.add(locked.organization)
        records.link_signers(petition, [locked.organization])
    _forget_facts(petition.slug)


def decline_sponsorship(actor: Membership, invitation: SponsorInvitation) -> None:
    """Say no, as an owner or admin of the invited organization: nothing of it shows."""
    with transaction.atomic():
        locked = organization_actions.lock_pending(invitation)
        actor = organization_actions.speaking_for(actor, locked.organization)
        organization_actions.decide(locked, InvitationState.DECLINED, by=actor.user)


def stop_sponsoring(actor: Membership, petition: Petition) -> None:
    """End actor's organization's co-sponsorship, as an owner or admin of it: it leaves
    "Sponsored by" and the sign form. The supporters it learned of stay its own."""
    with transaction.atomic():
        actor = organization_actions.speaking_for(actor, actor.organization)
        if not petition.sponsors.filter(pk=actor.organization_id).exists():
            raise NotAllowed(
                _("%(organization)s does not co-sponsor this petition.")
                % {"organization": actor.organization.name}
            )
        petition.sponsors.remove(actor.organization)
    _forget_facts(petition.slug)


def _forget_facts(slug: str) -> None:
    """This process's signing facts (status, co-sponsors) of the petition: forgotten now,
    and again once the change is committed, so no sign POST keeps what it read before."""
    signing_facts.forget(slug)
    transaction.on_commit(lambda: signing_facts.forget(slug))
