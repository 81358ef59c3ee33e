"""The login throttle: LOGIN_FAILURE_LIMIT attempts per LOGIN_FAILURE_WINDOW seconds,
counted per account and per IP address, in the database (so it holds across app
servers and processes without Redis).

An attempt is recorded *before* the password or code is checked, then counted: so
parallel guesses cannot all slip under the limit, and a refused attempt never reaches
the password check (a locked account says nothing about whether a password is right).
A correct password or code takes its own row back out; failures stay until the window
passes, or until the account completes a login.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import ngettext

from groundswell.accounts.models import AttemptKind, LoginAttempt


class Throttled(Exception):
    """Too many attempts; the message says how long to wait."""


def account_key(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest() if email else ""


def _window_minutes() -> int:
    return max(1, round(settings.LOGIN_FAILURE_WINDOW / 60))


def login_refusal() -> str:
    minutes = _window_minutes()
    return ngettext(
        "Too many failed attempts to log in. Wait %(minutes)d minute and try again, "
        "or reset your password.",
        "Too many failed attempts to log in. Wait %(minutes)d minutes and try again, "
        "or reset your password.",
        minutes,
    ) % {"minutes": minutes}


def reset_refusal() -> str:
    minutes = _window_minutes()
    return ngettext(
        "Too many password reset requests. Wait %(minutes)d minute and try again.",
        "Too many password reset requests. Wait %(minutes)d minutes and try again.",
        minutes,
    ) % {"minutes": minutes}


def reserve(kind: str, *, email: str = "", ip: str | None = None) -> LoginAttempt:
    """Record an attempt, then refuse it (raise Throttled, keeping no row) if the account
    or the IP address is over the limit with it."""
    now = timezone.now()
    key = account_key(email)
    attempt = LoginAttempt.objects.create(kind=kind, account=key, ip=ip, created_at=now)
    recent = LoginAttempt.objects.filter(
        kind=kind, created_at__gt=now - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW)
    )
    limit = settings.LOGIN_FAILURE_LIMIT
    over = (key and recent.filter(account=key).count() > limit) or (
        ip and recent.filter(ip=ip).count() > limit
    )
    if over:
        attempt.delete()
        raise Throttled(login_refusal() if kind == AttemptKind.LOGIN else reset_refusal())
    return attempt


def passed(attempt: LoginAttempt) -> None:
    """The password or code was right: this attempt is not a failure."""
    attempt.delete()


def forget_failures(email: str) -> None:
    """The account completed a login: its earlier failures no longer count against it
    (its IP address's failures still do)."""
    LoginAttempt.objects.filter(kind=AttemptKind.LOGIN, account=account_key(email)).delete()


def prune() -> int:
    """Delete attempts older than the window (a periodic job)."""
    cutoff = timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW)
    deleted, _rows = LoginAttempt.objects.filter(~Q(created_at__gt=cutoff)).delete()
    return deleted
