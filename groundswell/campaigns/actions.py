"""Every change to campaigns, demands and endorsements goes through these functions."""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.db.models import CharField, Max, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from groundswell.campaigns import emails
from groundswell.campaigns.models import (
    Campaign,
    Demand,
    DemandChange,
    DemandStatus,
    Endorsement,
    EndorsementState,
    PartnerInvitation,
    name_key,
)
from groundswell.core import tokens
from groundswell.core.tokens import LinkOutcome
from groundswell.organizations import actions as organization_actions
from groundswell.organizations.actions import NotAllowed
from groundswell.organizations.models import InvitationState, Membership, Organization
from groundswell.people import actions as people_actions
from groundswell.people.addresses import normalize_email

if TYPE_CHECKING:
    from groundswell.accounts.models import User
    from groundswell.legislation.models import Matter

VERIFY_SALT = "groundswell.campaigns.endorsement"
# Confirmation emails one address gets in a day, whatever organization name, campaign or
# demand the form names: enough for a contact signing on to a few demands or campaigns,
# too few to bother a stranger whose address someone typed in.
MAX_SENDS_PER_DAY = 5


# --- Campaigns -----------------------------------------------------------------------------


def create_campaign(
    *,
    owner: Organization,
    created_by: User | None,
    partners: list[Organization] | None = None,
    demands: list[str] | None = None,
    **fields: Any,
) -> Campaign:
    """Create a campaign (a draft unless `status` says otherwise), invite the partners
    it names (set_partners) and add its first demands, in the order given."""
    with transaction.atomic():
        campaign = Campaign.objects.create(owner=owner, created_by=created_by, **fields)
        set_partners(campaign, partners or [], by=created_by)
        for title in demands or []:
            add_demand(campaign, title=title)
    return campaign


def update_campaign(
    campaign: Campaign,
    *,
    partners: list[Organization] | None = None,
    by: User | None = None,
    **fields: Any,
) -> Campaign:
    """Save an organizer's edits; only the given fields are written. Partners named
    are invited, not added (set_partners). A replaced image's file is removed once the
    change is committed."""
    old_image = campaign.image.name if "image" in fields else ""
    with transaction.atomic():
        for name, value in fields.items():
            setattr(campaign, name, value)
        campaign.save(update_fields=[*fields, "updated_at"])
        if partners is not None:
            set_partners(campaign, partners, by=by)
        if old_image and old_image != campaign.image.name:
            storage = campaign.image.storage
            transaction.on_commit(lambda: storage.delete(old_image))
    return campaign


# --- Partners: invited, never named without their word ------------------------------------


def set_partners(
    campaign: Campaign, organizations: Iterable[Organization], *, by: User | None
) -> None:
    """The owner's choice of partners. Each organization newly named is invited (its
    owners and admins are emailed) and becomes a partner only when one of them accepts;
    one no longer named has its invitation withdrawn, or stops being a partner."""
    with transaction.atomic():
        gone = organization_actions.choose_invited(
            PartnerInvitation.objects.filter(campaign=campaign),
            campaign.partners.all,
            [o for o in organizations if o.pk != campaign.owner_id],
            invite=lambda organization: invite_partner(campaign, organization, by=by),
            by=by,
        )
        if gone:
            campaign.partners.remove(*gone)


def invite_partner(
    campaign: Campaign, organization: Organization, *, by: User | None
) -> PartnerInvitation:
    """Invite `organization` to be a partner in the campaign, and email its owners and
    admins (once, however often it is named while the invitation waits)."""
    if organization.pk == campaign.owner_id:
        raise NotAllowed(_("An organization cannot be a partner in its own campaign."))
    with transaction.atomic():
        if campaign.partners.filter(pk=organization.pk).exists():
            raise NotAllowed(
                _("%(organization)s is already a partner in this campaign.")
                % {"organization": organization.name}
            )
        invitation, created = PartnerInvitation.objects.pending().get_or_create(
            campaign=campaign, organization=organization, defaults={"invited_by": by}
        )
        if created:
            for answerer in organization.answerers():
                emails.send_partner_invitation.enqueue(invitation.pk, answerer.user_id)
    return invitation


def accept_partnership(actor: Membership, invitation: PartnerInvitation) -> None:
    """Be a partner in the campaign, on the word of an owner or admin of the invited
    organization: it is then named on the campaign's page and may attach its events."""
    with transaction.atomic():
        locked = organization_actions.lock_pending(invitation)
        actor = organization_actions.speaking_for(actor, locked.organization)
        organization_actions.decide(locked, InvitationState.ACCEPTED, by=actor.user)
        Campaign.objects.get(pk=locked.campaign_id).partners.add(locked.organization)


def decline_partnership(actor: Membership, invitation: PartnerInvitation) -> None:
    """Say no, as an owner or admin of the invited organization: nothing of it shows."""
    with transaction.atomic():
        locked = organization_actions.lock_pending(invitation)
        actor = organization_actions.speaking_for(actor, locked.organization)
        organization_actions.decide(locked, InvitationState.DECLINED, by=actor.user)


def leave_campaign(actor: Membership, campaign: Campaign) -> None:
    """End actor's organization's partnership, as an owner or admin of it: it is no
    longer named on the campaign. Its events stay its own."""
    with transaction.atomic():
        actor = organization_actions.speaking_for(actor, actor.organization)
        if not campaign.partners.filter(pk=actor.organization_id).exists():
            raise NotAllowed(
                _("%(organization)s is not a partner in this campaign.")
                % {"organization": actor.organization.name}
            )
        campaign.partners.remove(actor.organization)


# --- Demands -------------------------------------------------------------------------------


def add_demand(
    campaign: Campaign, *, title: str, details: str = "", matter: Matter | None = None
) -> Demand:
    """Add a demand at the end of the campaign's list (linked to the matter on record
    that would meet it, if any)."""
    with transaction.atomic():
        # Lock the campaign so two organizers adding at once get different positions.
        Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
        last = campaign.demands.aggregate(last=Max("position"))["last"]
        return Demand.objects.create(
            campaign=campaign,
            title=title,
            details=details,
            matter=matter,
            position=0 if last is None else last + 1,
        )


def update_demand(
    demand: Demand, *, title: str, details: str, matter: Matter | None = None
) -> Demand:
    demand.title = title
    demand.details = details
    demand.matter = matter
    demand.save(update_fields=["title", "details", "matter"])
    return demand


def move_demand(demand: Demand, offset: int) -> bool:
    """Move a demand up (-1) or down (+1) one place; False at either end."""
    with transaction.atomic():
        Campaign.objects.select_for_update().filter(pk=demand.campaign_id).first()
        demands = list(Demand.objects.filter(campaign_id=demand.campaign_id).order_by("position"))
        index = next(i for i, d in enumerate(demands) if d.pk == demand.pk)
        target = index + offset
        if not 0 <= target < len(demands):
            return False
        demands.insert(target, demands.pop(index))
        for position, item in enumerate(demands):
            if item.position != position:
                Demand.objects.filter(pk=item.pk).update(position=position)
    return True


def change_demand(
    demand: Demand,
    *,
    status: str,
    changed_by: User | None,
    evidence_date: datetime.date | None = None,
    evidence_url: str = "",
    note: str = "",
) -> DemandChange:
    """Record where a demand stands: its new status (or the same one, with fresh
    evidence), dated, with a link and/or a note; the history keeps who and when."""
    with transaction.atomic():
        locked = Demand.objects.select_for_update().get(pk=demand.pk)
        change = DemandChange.objects.create(
            demand=locked,
            from_status=locked.status,
            to_status=status,
            evidence_date=evidence_date or timezone.localdate(),
            evidence_url=evidence_url,
            note=note,
            changed_by=changed_by,
        )
        if locked.status != status:
            locked.status = status
            locked.status_changed_at = change.changed_at
            locked.save(update_fields=["status", "status_changed_at"])
    demand.status = locked.status
    demand.status_changed_at = locked.status_changed_at
    return change


@dataclass(frozen=True)
class Scoreboard:
    """How a campaign's demands stand: "3 of 14 won"."""

    total: int
    won: int
    partly_won: int
    in_progress: int
    lost: int

    @property
    def open(self) -> int:
        return self.total - self.won - self.partly_won - self.in_progress - self.lost


def scoreboard(demands: list[Demand]) -> Scoreboard:
    statuses = [d.status for d in demands]
    return Scoreboard(
        total=len(statuses),
        won=statuses.count(DemandStatus.WON),
        partly_won=statuses.count(DemandStatus.PARTLY_WON),
        in_progress=statuses.count(DemandStatus.IN_PROGRESS),
        lost=statuses.count(DemandStatus.LOST),
    )


# --- Endorsements --------------------------------------------------------------------------


class EndorseOutcome(enum.Enum):
    RECEIVED = "received"  # new endorsement, confirmation email queued
    DUPLICATE = "duplicate"  # the same organization and email endorsed this before
    # The address had MAX_SENDS_PER_DAY emails today: nothing stored, nothing sent; the
    # sender is told the same as for RECEIVED.
    NOT_SENT = "not_sent"


@dataclass(frozen=True)
class EndorseResult:
    outcome: EndorseOutcome
    endorsement: Endorsement | None


def record_endorsement(
    campaign: Campaign,
    *,
    organization_name: str,
    contact_name: str,
    contact_email: str,
    demand: Demand | None = None,
    statement: str = "",
    website: str = "",
    logo: Any = None,
    consent: bool = False,
    language: str = "en",
    ip_address: str | None = None,
) -> EndorseResult:
    """Store a pending sign-on and queue its confirmation email, in one transaction.

    The same organization name (case and spacing ignored) with the same email address
    endorses a campaign, or a demand, once; a second try stores nothing (its logo
    included) and says so. An address gets at most MAX_SENDS_PER_DAY confirmation
    emails a day; past that, nothing is stored (no logo either) and nothing is sent.
    """
    endorsement = Endorsement(
        campaign=campaign,
        demand=demand,
        organization_name=" ".join(organization_name.split()),
        name_key=name_key(organization_name),
        contact_name=" ".join(contact_name.split()),
        contact_email=contact_email.strip(),
        email_normalized=normalize_email(contact_email),
        website=website,
        statement=statement.strip(),
        consent=consent,
        language=language,
        ip_address=ip_address,
    )
    if _duplicate_of(endorsement).exists():
        return EndorseResult(EndorseOutcome.DUPLICATE, None)
    if sends_today(endorsement.email_normalized) >= MAX_SENDS_PER_DAY:
        return EndorseResult(EndorseOutcome.NOT_SENT, None)
    if logo:
        endorsement.logo = logo
    try:
        with transaction.atomic():
            endorsement.save(force_insert=True)
            emails.send_endorsement_verification.enqueue(endorsement.pk)
    except IntegrityError:  # the same sign-on sent twice at once
        if endorsement.logo:
            endorsement.logo.storage.delete(endorsement.logo.name)
        return EndorseResult(EndorseOutcome.DUPLICATE, None)
    return EndorseResult(EndorseOutcome.RECEIVED, endorsement)


def sends_today(email_normalized: str) -> int:
    """Confirmation emails sent to the address in the last day (one per stored sign-on)."""
    since = timezone.now() - datetime.timedelta(days=1)
    recent = Endorsement.objects.filter(email_normalized=email_normalized, created_at__gte=since)
    return recent[: MAX_SENDS_PER_DAY + 1].count()


def _duplicate_of(endorsement: Endorsement) -> Any:
    same = Endorsement.objects.filter(
        name_key=endorsement.name_key, email_normalized=endorsement.email_normalized
    )
    if endorsement.demand_id is None:
        return same.filter(campaign_id=endorsement.campaign_id, demand__isnull=True)
    return same.filter(demand_id=endorsement.demand_id)


VERIFY_LINK = tokens.ConfirmationLink[Endorsement](
    salt=VERIFY_SALT,
    id_key="n",
    find=lambda pk: (
        Endorsement.objects.select_related("campaign", "campaign__owner", "demand")
        .filter(pk=pk)
        .first()
    ),
    confirmed=lambda endorsement: endorsement.state != EndorsementState.PENDING,
)


def verification_token(endorsement: Endorsement) -> str:
    """A signed, expiring token; validating it needs no lookup table."""
    return VERIFY_LINK.token(endorsement)


@dataclass(frozen=True)
class VerifyResult:
    outcome: LinkOutcome
    endorsement: Endorsement | None = None


def check_verification(token: str) -> VerifyResult:
    """What confirming with this link would do, changing nothing (for the confirm page)."""
    return VerifyResult(*VERIFY_LINK.check(token))


def verify_endorsement(token: str) -> VerifyResult:
    """Confirm a sign-on from its emailed link; it then waits for the owner's approval.

    The contact becomes known to the campaign's owner (with their email address only
    if they agreed to hear from it), as a signer becomes known to a petition's owner.
    """
    with transaction.atomic():
        result = check_verification(token)
        if result.outcome != LinkOutcome.PENDING or result.endorsement is None:
            return result
        endorsement = Endorsement.objects.select_for_update().get(pk=result.endorsement.pk)
        endorsement.campaign = result.endorsement.campaign
        endorsement.demand = result.endorsement.demand
        if endorsement.state != EndorsementState.PENDING:
            return VerifyResult(LinkOutcome.ALREADY_CONFIRMED, endorsement)
        first_name, _, last_name = endorsement.contact_name.partition(" ")
        person = people_actions.record_person(
            email=endorsement.contact_email,
            first_name=first_name,
            last_name=last_name,
            language=endorsement.language,
        )
        owner = endorsement.campaign.owner
        source = f"campaign:{endorsement.campaign.slug}"
        contact = {"email": endorsement.contact_email} if endorsement.consent else {}
        people_actions.link(
            person, owner, source=source, first_name=first_name, last_name=last_name, **contact
        )
        if endorsement.consent:
            people_actions.grant_consent(
                person, owner, source=source, given_at=endorsement.created_at
            )
        endorsement.state = EndorsementState.VERIFIED
        endorsement.verified_at = timezone.now()
        endorsement.person = person
        endorsement.save(update_fields=["state", "verified_at", "person"])
        emails.queue_moderation_notice(endorsement.pk, owner.notice_recipients())
    return VerifyResult(LinkOutcome.CONFIRMED, endorsement)


class ModerationError(Exception):
    """The endorsement cannot take that decision now (not confirmed by email yet)."""


def moderate_endorsement(endorsement: Endorsement, *, approve: bool, by: User | None) -> None:
    """Approve (shown and counted) or reject (hidden) a confirmed sign-on. A decision
    can be reversed; an unconfirmed sign-on cannot be decided on."""
    with transaction.atomic():
        locked = Endorsement.objects.select_for_update().get(pk=endorsement.pk)
        if locked.state == EndorsementState.PENDING:
            raise ModerationError
        locked.state = EndorsementState.APPROVED if approve else EndorsementState.REJECTED
        locked.moderated_at = timezone.now()
        locked.moderated_by = by
        locked.save(update_fields=["state", "moderated_at", "moderated_by"])
    endorsement.state = locked.state
    endorsement.moderated_at = locked.moderated_at


def erase_endorsements(endorsements: Any) -> int:
    """Remove the contact's personal details from these sign-ons; the organization's
    public endorsement (name, logo, statement) stays. Returns how many changed."""
    return int(
        endorsements.exclude(contact_email="").update(
            contact_name="",
            contact_email="",
            # Unique per row, so the duplicate check never matches an erased sign-on.
            email_normalized=Concat(Value("erased:"), Cast("pk", CharField())),
            person=None,
            consent=False,
            ip_address=None,
        )
    )
