"""The organizations' emails, sent through the outbox: the invitation to join a staff, and a
coalition's invitation to join it."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse

from groundswell.core import outbox
from groundswell.core.mail import build_message

if TYPE_CHECKING:
    from groundswell.organizations.models import Membership, OrganizationInvitation

Invited = TypeVar("Invited", bound="OrganizationInvitation")


def invitation_to_answer(
    model: type[Invited], invitation_id: int, user_id: int, *related: str
) -> tuple[Invited, Membership] | None:
    """An invitation between organizations and the one owner or admin of the invited
    organization its email is for, while the email is still called for: None once the
    invitation is answered or withdrawn, or when they no longer answer for the
    organization. Every kind of invitation (to a coalition, to co-sponsor, to partner)
    asks here."""
    invitation = (
        model._default_manager.pending()
        .select_related("organization", "invited_by", *related)
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        return None
    answerer = invitation.organization.answerers().filter(user_id=user_id).first()
    if answerer is None:
        return None
    return invitation, answerer


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


@outbox.email("organizations.coalition_invitation")
def send_coalition_invitation(invitation_id: int, user_id: int) -> EmailMessage | None:
    """Tell one owner or admin of the invited organization that a coalition asks it to
    join, with the page where they answer. Not sent once the invitation is answered or
    withdrawn, or to someone who no longer answers for the organization."""
    from groundswell.organizations.models import CoalitionInvitation

    found = invitation_to_answer(CoalitionInvitation, invitation_id, user_id, "coalition")
    if found is None:
        return None
    invitation, answerer = found
    page = reverse("organizations_manage:coalition", args=[invitation.organization.slug])
    return build_message(
        to=answerer.user.email,
        template="organizations/email/coalition_invitation",
        context={
            "invitation": invitation,
            "coalition": invitation.coalition,
            "organization": invitation.organization,
            "inviter": invitation.invited_by,
            "link": settings.BASE_URL + page,
        },
        language=answerer.user.language,
    )
