"""The login throttle, in the database (so it holds across app servers and processes
without Redis). L is LOGIN_FAILURE_LIMIT, the window LOGIN_FAILURE_WINDOW seconds.

Passwords (kind LOGIN) are refused, before they are checked, once within the window:
- this IP address has L failures on this account (someone guessing);
- this IP address has 4 * L failures on any accounts (someone trying a password on many);
- the account has 10 * L failures from all addresses (a distributed guess), unless the
  browser has the account's known-device cookie from an earlier login. Other browsers
  wait for the window to pass, or reset the password (which clears the failures).
So guessing from elsewhere does not lock the owner out: a right password from an address
without failures of its own gets in.

Two-factor codes (kind CODE, 6 digits) have their own strict limit: L wrong codes per
account and IP address, and L per account from all addresses. The code step is reached
only with the right password, so the account-wide limit locks out no outsider.

Password reset requests (kind RESET): L per address asked for and L per IP address.

An attempt is recorded *before* the password or code is checked, then counted: so
parallel guesses cannot all slip under the limit, and a refused attempt never reaches
the check (a refusal says nothing about whether a password is right) and leaves no row,
so refusals do not prolong a pause. A right password or code takes its own row back out.
Failures stay until the window passes; a completed login clears those of its own IP
address on the account, a completed password reset all of the account's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import ngettext

from groundswell.accounts.models import AttemptKind, LoginAttempt

IP_FACTOR = 4  # failures on any accounts from one IP address: L * this
ACCOUNT_FACTOR = 10  # failures on one account from all IP addresses: L * this

DEVICE_COOKIE = "gs_device"
DEVICE_SALT = "groundswell.accounts.throttle.device"
DEVICE_MAX_AGE = 60 * 60 * 24 * 90


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


def _limits(
    kind: str, key: str, ip: str | None, known_device: bool
) -> Iterator[tuple[dict[str, Any], int]]:
    """(which attempts to count, how many may be recorded), cheapest refusals first."""
    limit = settings.LOGIN_FAILURE_LIMIT
    if kind == AttemptKind.RESET:
        if key:
            yield {"account": key}, limit
        if ip:
            yield {"ip": ip}, limit
        return
    if key:
        yield {"account": key, "ip": ip}, limit  # ip None: the unknown addresses together
    if kind == AttemptKind.LOGIN:
        if ip:
            yield {"ip": ip}, limit * IP_FACTOR
        if key and not known_device:
            yield {"account": key}, limit * ACCOUNT_FACTOR
    elif key:  # a code: only reachable with the right password
        yield {"account": key}, limit


def reserve(
    kind: str, *, email: str = "", ip: str | None = None, known_device: bool = False
) -> LoginAttempt:
    """Record an attempt, then refuse it (raise Throttled, keeping no row) if it is over
    one of the limits of its kind (see the module's docstring)."""
    now = timezone.now()
    key = account_key(email)
    attempt = LoginAttempt.objects.create(kind=kind, account=key, ip=ip, created_at=now)
    recent = LoginAttempt.objects.filter(
        kind=kind, created_at__gt=now - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW)
    )
    if any(
        recent.filter(**where).count() > limit
        for where, limit in _limits(kind, key, ip, known_device)
    ):
        attempt.delete()
        raise Throttled(reset_refusal() if kind == AttemptKind.RESET else login_refusal())
    return attempt


def passed(attempt: LoginAttempt) -> None:
    """The password or code was right: this attempt is not a failure."""
    attempt.delete()


def forget_failures(email: str, ip: str | None) -> None:
    """The account completed a login from this IP address: its failures from there no
    longer count. Those from other addresses still do (they may be someone else's)."""
    LoginAttempt.objects.filter(
        kind__in=[AttemptKind.LOGIN, AttemptKind.CODE], account=account_key(email), ip=ip
    ).delete()


def forget_account(email: str) -> None:
    """The account's password was reset: none of the failures on it count any more."""
    LoginAttempt.objects.filter(
        kind__in=[AttemptKind.LOGIN, AttemptKind.CODE], account=account_key(email)
    ).delete()


def remember_device(response: HttpResponse, email: str) -> None:
    """A login completed in this browser: it is known for the account (a signed cookie),
    and logs in even while the account is under a guess from many addresses."""
    response.set_signed_cookie(
        DEVICE_COOKIE,
        account_key(email),
        salt=DEVICE_SALT,
        max_age=DEVICE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def is_known_device(request: HttpRequest | None, email: str) -> bool:
    if request is None or not email:
        return False
    value = request.get_signed_cookie(
        DEVICE_COOKIE, default=None, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE
    )
    return value == account_key(email)


def prune() -> int:
    """Delete attempts older than the window (a periodic job)."""
    cutoff = timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW)
    deleted, _rows = LoginAttempt.objects.filter(~Q(created_at__gt=cutoff)).delete()
    return deleted
