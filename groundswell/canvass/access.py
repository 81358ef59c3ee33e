"""Canvassers' short codes: the one check every canvasser endpoint goes through.

An organizer gives a canvasser (or a precinct captain) a code of ten letters and
digits, shown once, as a link (`/canvass/#code=…`) or to type in; no account. Only a
keyed hash of it is stored, so a copy of the database holds no working code. Every
request from a phone carries the code (header `X-Canvass-Code`) and `canvasser_for`
answers with the canvasser it belongs to, or refuses: unknown, revoked, or (for a
canvasser) no turf any more. Revoking works at the next request, whatever the phone
has stored.

Guessing is limited: a client (an IP address, an IPv6 /64) that sent more than
CANVASS_CODE_RATE_IP wrong codes in the window is refused before its code is even
looked at (TooManyGuesses, a 429 with Retry-After), right code or not, until the
window ends. Right codes do not count, so a team sharing one network is not locked
out by its own syncing.
"""

from __future__ import annotations

import secrets

from django.utils.crypto import salted_hmac

from groundswell.canvass.models import Canvasser
from groundswell.core import ratelimit

ALPHABET = "23456789ACDEFGHJKMNPQRTUVWXY"  # nothing to misread: no 0/O, 1/I/L, B/8, S/5, Z
LENGTH = 10  # 28^10, about 3e14 codes
HEADER = "HTTP_X_CANVASS_CODE"
DOMAIN = "canvass_code_by_ip"


class AccessRefused(Exception):
    """No such code, or it was revoked."""


class TooManyGuesses(Exception):
    """Too many wrong codes from this client: try again in `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize(code: str) -> str:
    """As typed on a phone: any case, spaces and dashes do not matter."""
    return "".join(ch for ch in code.upper() if ch.isalnum())


def code_hash(code: str) -> str:
    return salted_hmac(
        "groundswell.canvass.access", normalize(code), algorithm="sha256"
    ).hexdigest()


def display(code: str) -> str:
    """The code as printed: two groups of five."""
    code = normalize(code)
    return f"{code[:5]}-{code[5:]}"


def canvasser_for(code: str | None) -> Canvasser:
    """The active canvasser holding `code`, with their canvass (and turf); AccessRefused
    otherwise. Every canvasser endpoint asks this, at every request."""
    if not code or len(normalize(code)) != LENGTH:
        raise AccessRefused
    canvasser = (
        Canvasser.objects.select_related("canvass__organization", "turf")
        .filter(code_hash=code_hash(code), revoked_at__isnull=True)
        .first()
    )
    if canvasser is None:
        raise AccessRefused
    if canvasser.role == Canvasser.Role.CANVASSER and canvasser.turf is None:
        raise AccessRefused
    return canvasser


def canvasser_for_client(code: str | None, client: str) -> Canvasser:
    """canvasser_for, for a request from `client` (ratelimit.client_key of its address):
    TooManyGuesses once it has sent too many wrong codes; a wrong code counts one."""
    subject = ratelimit.client_key(client)
    seen = ratelimit.peek(DOMAIN, subject)
    if seen.count >= seen.limit:
        raise TooManyGuesses(seen.retry_after)
    try:
        return canvasser_for(code)
    except AccessRefused:
        ratelimit.hit(DOMAIN, subject)
        raise
