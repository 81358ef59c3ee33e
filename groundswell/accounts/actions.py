"""Changes to organizer accounts that other screens and commands share."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from groundswell.accounts.models import RecoveryCode, TwoFactor, User
from groundswell.organizations import actions as organization_actions
from groundswell.organizations.models import Invitation


def create_account_and_accept(
    invitation: Invitation, *, first_name: str, last_name: str, password: str
) -> User:
    """Create the organizer account for the invited address, then accept the invitation
    (organizations.actions.accept_invitation's rules), both or neither."""
    taken = organization_actions.InvitationInvalid(
        _("An account for %(email)s already exists. Log in to accept the invitation.")
        % {"email": invitation.email}
    )
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise taken
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                invitation.email,
                password,
                first_name=first_name,
                last_name=last_name,
                language=translation.get_language() or "en",
            )
            organization_actions.accept_invitation(invitation, user)
    except IntegrityError:  # the same address signed up a moment ago, in another request
        raise taken from None
    return user


def end_account(user: User) -> None:
    """Close an organizer account for good (its holder erased their data, and no staff
    keeps them): every session ends, it can no longer sign in or reset its password,
    and its name and address are gone. The row stays, unnamed, so that what points to
    it (who created a petition) keeps its shape."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        locked.session_generation += 1
        locked.is_active = False
        locked.set_unusable_password()
        locked.first_name = locked.last_name = ""
        locked.email = f"ended-account-{locked.pk}@invalid"
        locked.save()
        TwoFactor.objects.filter(user=locked).delete()
        RecoveryCode.objects.filter(user=locked).delete()
