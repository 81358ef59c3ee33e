"""The invitation email to join an organization's staff, sent through the outbox."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse

from groundswell.core import outbox
from groundswell.core.mail import build_message


@outbox.email("organizations.invitation")
def send_invitation(invitation_id: int, language: str | None) -> EmailMessage | None:
    """Email the invited address its link to join the organization's staff."""
    from groundswell.organizations.actions import invitation_expires_at, invitation_token
    from groundswell.organizations.models import Invitation

    invitation = (
        Invitation.objects.select_related("organization", "invited_by")
        .filter(pk=invitation_id, accepted_at=None, revoked_at=None)
        .first()
    )
    if invitation is None:
        return None
    link = settings.BASE_URL + reverse("accounts:invitation", args=[invitation_token(invitation)])
    message = build_message(
        to=invitation.email,
        template="organizations/email/invite",
        context={
            "invitation": invitation,
            "organization": invitation.organization,
            "inviter": invitation.invited_by,
            "link": link,
            "expires_at": invitation_expires_at(invitation),
        },
        language=language,
        reply_to=invitation.invited_by.email if invitation.invited_by else None,
    )
    return message
