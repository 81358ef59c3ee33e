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


@outbox.email("accounts.password_reset")
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
