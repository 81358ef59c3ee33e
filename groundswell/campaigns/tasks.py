"""Background work for campaigns: the sign-on emails. Each task is safe to run again."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django_tasks import task

from groundswell.core.mail import build_message, deliver


def absolute(path: str) -> str:
    return f"{settings.BASE_URL}{path}"


@task()
def send_endorsement_verification(endorsement_id: int, attempt: int = 0) -> None:
    """Ask the contact to confirm their organization's sign-on."""
    from groundswell.campaigns.actions import verification_token
    from groundswell.campaigns.models import Endorsement, EndorsementState

    endorsement = (
        Endorsement.objects.select_related("campaign", "demand").filter(pk=endorsement_id).first()
    )
    if endorsement is None or endorsement.state != EndorsementState.PENDING:
        return
    link = absolute(reverse("campaigns:verify", args=[verification_token(endorsement)]))
    message = build_message(
        to=endorsement.contact_email,
        template="campaigns/email/verify",
        context={"endorsement": endorsement, "campaign": endorsement.campaign, "link": link},
        language=endorsement.language,
    )
    deliver([message], task=send_endorsement_verification, args=(endorsement_id,), attempt=attempt)


@task()
def send_moderation_notice(endorsement_id: int, attempt: int = 0) -> None:
    """Tell the owner organization a confirmed sign-on waits for its approval."""
    from groundswell.campaigns.models import Endorsement, EndorsementState

    endorsement = (
        Endorsement.objects.select_related("campaign", "campaign__owner")
        .filter(pk=endorsement_id)
        .first()
    )
    if endorsement is None or endorsement.state != EndorsementState.VERIFIED:
        return
    campaign = endorsement.campaign
    dashboard = absolute(
        reverse("campaigns_manage:dashboard", args=[campaign.owner.slug, campaign.slug])
    )
    messages = [
        build_message(
            to=recipient,
            template="campaigns/email/moderate",
            context={"endorsement": endorsement, "campaign": campaign, "dashboard": dashboard},
        )
        for recipient in campaign.owner.notice_recipients()
    ]
    deliver(messages, task=send_moderation_notice, args=(endorsement_id,), attempt=attempt)
