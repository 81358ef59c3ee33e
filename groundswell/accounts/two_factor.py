"""Two-factor authentication: an authenticator app (TOTP) plus single-use recovery codes.

Codes from the step before and after the current one are accepted (phones drift), and
a code is accepted once: the newest accepted step is kept, and nothing at or before it
works again, so a code seen over a shoulder cannot be replayed.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time

import pyotp
import segno
from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from groundswell.accounts import emails, sealing
from groundswell.accounts.models import RecoveryCode, TwoFactor, User
from groundswell.organizations.models import Organization

logger = logging.getLogger(__name__)

STEP_SECONDS = 30
WINDOW_STEPS = 1  # one step either side of now
RECOVERY_CODE_COUNT = 10
# 16 characters from 31 (no 0/o, 1/l/i): about 79 bits, too many to guess even from
# a stolen hash, so a fast salted hash is enough and checking a code stays instant.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_LENGTH = 16


class NotAllowed(Exception):
    """A refusal with a message for the user."""


def is_enabled(user: User) -> bool:
    return TwoFactor.objects.filter(user_id=user.pk).exists()


def requiring_organizations(user: User) -> QuerySet[Organization]:
    """The user's organizations that require two-factor authentication of their staff."""
    return Organization.objects.filter(memberships__user=user, require_two_factor=True)


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, user: User) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=settings.SITE_NAME)


def qr_svg(uri: str, title: str) -> str:
    """The otpauth:// address as an inline SVG QR code (no image request, no CDN)."""
    return str(
        segno.make(uri, error="m").svg_inline(
            scale=4, title=title, svgclass="qr", dark="#000", light="#fff"
        )
    )


def _normalize(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _matching_step(secret: str, code: str, now: float) -> int | None:
    totp = pyotp.TOTP(secret)
    current = int(now // STEP_SECONDS)
    for step in range(current - WINDOW_STEPS, current + WINDOW_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _digest(salt: str, code: str) -> str:
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


def _issue_recovery_codes(user: User) -> list[str]:
    """Replace the user's recovery codes with new ones; returns them in clear, once."""
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    RecoveryCode.objects.filter(user=user).delete()
    rows = []
    for code in codes:
        salt = secrets.token_hex(16)
        rows.append(RecoveryCode(user=user, salt=salt, digest=_digest(salt, code)))
    RecoveryCode.objects.bulk_create(rows)
    return [format_recovery_code(code) for code in codes]


def format_recovery_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def enable(user: User, secret: str, code: str, *, now: float | None = None) -> list[str]:
    """Switch two-factor on with a secret the user's app shows `code` for.

    Returns the new recovery codes, in clear, to show once. The confirming code is
    spent: it cannot log in afterwards.
    """
    step = _matching_step(secret, _normalize(code), time.time() if now is None else now)
    if step is None:
        raise NotAllowed(_("That code does not match. Check that the time on your phone is right."))
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if TwoFactor.objects.filter(user=locked).exists():
            raise NotAllowed(_("Two-factor authentication is already on."))
        TwoFactor.objects.create(user=locked, sealed_secret=sealing.seal(secret), last_step=step)
        emails.send_security_notice.enqueue(locked.pk, emails.TWO_FACTOR_ON)
        return _issue_recovery_codes(locked)


def verify(user: User, code: str, *, now: float | None = None) -> bool:
    """Whether `code` (from the app, or an unused recovery code) proves the second factor.

    An accepted code is spent at once, with a conditional UPDATE, so two requests racing
    with the same code cannot both pass.
    """
    code = _normalize(code)
    if not code:
        return False
    if code.isdigit():
        device = TwoFactor.objects.filter(user_id=user.pk).first()
        if device is None:
            return False
        try:
            secret = sealing.unseal(device.sealed_secret)
        except sealing.Unsealable:
            # SECRET_KEY changed without SECRET_KEY_FALLBACKS: recovery codes still work.
            logger.exception("Cannot open the two-factor secret of user %s", user.pk)
            return False
        step = _matching_step(secret, code, time.time() if now is None else now)
        if step is None:
            return False
        spent = TwoFactor.objects.filter(pk=device.pk, last_step__lt=step).update(last_step=step)
        return spent == 1
    for recovery in RecoveryCode.objects.filter(user_id=user.pk, used_at__isnull=True):
        if hmac.compare_digest(recovery.digest, _digest(recovery.salt, code)):
            used = RecoveryCode.objects.filter(pk=recovery.pk, used_at__isnull=True).update(
                used_at=timezone.now()
            )
            return used == 1
    return False


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user_id=user.pk, used_at__isnull=True).count()


def regenerate_recovery_codes(user: User) -> list[str]:
    """New recovery codes for an account with two-factor on; the old ones stop working."""
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if not TwoFactor.objects.filter(user=locked).exists():
            raise NotAllowed(_("Two-factor authentication is off for this account."))
        emails.send_security_notice.enqueue(locked.pk, emails.RECOVERY_CODES)
        return _issue_recovery_codes(locked)


def disable(user: User) -> None:
    """Switch two-factor off, unless one of the user's organizations requires it."""
    names = list(requiring_organizations(user).values_list("name", flat=True))
    if names:
        raise NotAllowed(
            _(
                "You cannot turn off two-factor authentication: %(organizations)s "
                "requires it of its staff."
            )
            % {"organizations": ", ".join(names)}
        )
    with transaction.atomic():
        TwoFactor.objects.filter(user_id=user.pk).delete()
        RecoveryCode.objects.filter(user_id=user.pk).delete()
        emails.send_security_notice.enqueue(user.pk, emails.TWO_FACTOR_OFF)
