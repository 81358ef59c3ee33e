"""The campaigns' emails about coalition sign-ons, sent through the outbox."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse

from groundswell.core import outbox
from groundswell.core.mail import build_message
from groundswell.organizations.emails import invitation_to_answer


def absolute(path: str) -> str:
    return f"{settings.BASE_URL}{path}"


@outbox.email("campaigns.endorsement_verification")
def send_endorsement_verification(endorsement_id: int) -> EmailMessage | None:
    """Ask the contact to confirm their organization's sign-on."""
    from groundswell.campaigns.actions import verification_token
    from groundswell.campaigns.models import Endorsement, EndorsementState

    endorsement = (
        Endorsement.objects.select_related("campaign", "demand").filter(pk=endorsement_id).first()
    )
    if endorsement is None or endorsement.state != EndorsementState.PENDING:
        return None
    link = absolute(reverse("campaigns:verify", args=[verification_token(endorsement)]))
    message = build_message(
        to=endorsement.contact_email,
        template="campaigns/email/verify",
        context={"endorsement": endorsement, "campaign": endorsement.campaign, "link": link},
        language=endorsement.language,
    )
    return message


def queue_moderation_notice(endorsement_id: int, recipients: list[str]) -> None:
    """Tell the owner organization's contacts that a confirmed sign-on waits for its
    approval (one email each, in the caller's transaction)."""
    for to in recipients:
        send_moderation_notice.enqueue(
            endorsement_id, to, key=f"campaigns.moderation_notice:{endorsement_id}:{to}"
        )


@outbox.email("campaigns.moderation_notice")
def send_moderation_notice(endorsement_id: int, to: str) -> EmailMessage | None:
    """The notice to one contact, while the sign-on still waits and they are still a
    contact of the organization."""
    from groundswell.campaigns.models import Endorsement, EndorsementState

    endorsement = (
        Endorsement.objects.select_related("campaign", "campaign__owner")
        .filter(pk=endorsement_id)
        .first()
    )
    if endorsement is None or endorsement.state != EndorsementState.VERIFIED:
        return None
    campaign = endorsement.campaign
    if to not in campaign.owner.notice_recipients():
        return None
    dashboard = absolute(
        reverse("campaigns_manage:dashboard", args=[campaign.owner.slug, campaign.slug])
    )
    return build_message(
        to=to,
        template="campaigns/email/moderate",
        context={"endorsement": endorsement, "campaign": campaign, "dashboard": dashboard},
    )


@outbox.email("campaigns.partner_invitation")
def send_partner_invitation(invitation_id: int, user_id: int) -> EmailMessage | None:
    """Tell one owner or admin of the invited organization that another asks it to be a
    partner in a campaign, with the page where they answer. Not sent once the invitation
    is answered or withdrawn, or to someone who no longer answers for the organization."""
    from groundswell.campaigns.models import PartnerInvitation

    found = invitation_to_answer(
        PartnerInvitation, invitation_id, user_id, "campaign", "campaign__owner"
    )
    if found is None:
        return None
    invitation, answerer = found
    page = reverse("campaigns_manage:partnerships", args=[invitation.organization.slug])
    return build_message(
        to=answerer.user.email,
        template="campaigns/email/partner_invitation",
        context={
            "invitation": invitation,
            "campaign": invitation.campaign,
            "owner": invitation.campaign.owner,
            "organization": invitation.organization,
            "link": absolute(page),
        },
        language=answerer.user.language,
    )
