"""Emails to organizer accounts, sent through the outbox (groundswell.core.outbox)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from groundswell.core import outbox
from groundswell.core.mail import build_message


@outbox.email("accounts.password_reset", screened=False)  # their own request: never withheld
def send_password_reset(user_id: int) -> EmailMessage | None:
    """Email a password-reset link. Queued, so the reset page answers in the same time
    whether or not the address has an account."""
    from groundswell.accounts.models import User

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return None
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    message = build_message(
        to=user.email,
        template="accounts/email/password_reset",
        context={"user": user, "link": f"{settings.BASE_URL}{path}"},
        language=user.language,
    )
    return message


# What changed (not secrets: the names of changes the notice reports).
PASSWORD_CHANGED = "password_changed"  # noqa: S105
PASSWORD_RESET = "password_reset"  # noqa: S105
TWO_FACTOR_ON = "two_factor_on"
TWO_FACTOR_OFF = "two_factor_off"
RECOVERY_CODES = "recovery_codes"
SECURITY_CHANGES = (PASSWORD_CHANGED, PASSWORD_RESET, TWO_FACTOR_ON, TWO_FACTOR_OFF, RECOVERY_CODES)


@outbox.email("accounts.security_notice", screened=False)  # their own request: never withheld
def send_security_notice(user_id: int, change: str) -> EmailMessage | None:
    """Tell the account's owner that its password or two-factor setting changed, so a
    change they did not make does not go unnoticed (with what to do then)."""
    from groundswell.accounts.models import User

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or change not in SECURITY_CHANGES:
        return None
    return build_message(
        to=user.email,
        template="accounts/email/security_notice",
        context={
            "user": user,
            "change": change,
            "reset": f"{settings.BASE_URL}{reverse('accounts:password_reset')}",
        },
        language=user.language,
    )
