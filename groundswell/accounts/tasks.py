"""Background work for organizer accounts."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from groundswell.core.mail import build_message, deliver


@task()
def send_password_reset(user_id: int, attempt: int = 0) -> None:
    """Email a password-reset link. Queued, so the reset page answers in the same time
    whether or not the address has an account."""
    from groundswell.accounts.models import User

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
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
    deliver([message], task=send_password_reset, args=(user_id,), attempt=attempt)
