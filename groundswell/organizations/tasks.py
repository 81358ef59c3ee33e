"""Background work for organizations: the invitation email. Safe to run again."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django_tasks import task

from groundswell.core.mail import build_message, deliver


@task()
def send_invitation(invitation_id: int, language: str | None, attempt: int = 0) -> None:
    """Email the invited address its link to join the organization's staff."""
    from groundswell.organizations.actions import invitation_expires_at, invitation_token
    from groundswell.organizations.models import Invitation

    invitation = (
        Invitation.objects.select_related("organization", "invited_by")
        .filter(pk=invitation_id, accepted_at=None, revoked_at=None)
        .first()
    )
    if invitation is None:
        return
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
    deliver([message], task=send_invitation, args=(invitation_id, language), attempt=attempt)
