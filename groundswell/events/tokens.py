"""Signed tokens for the links in RSVP emails: validating one needs no lookup table,
and a forged or altered one names nothing."""

from __future__ import annotations

import hashlib

from django.core import signing

from groundswell.events.models import RSVP

CANCEL_SALT = "groundswell.events.cancel"


def _fingerprint(rsvp: RSVP) -> str:
    return hashlib.sha256(f"{rsvp.pk}:{rsvp.key}".encode()).hexdigest()[:16]


def cancel_token(rsvp: RSVP) -> str:
    """A signed token for the RSVP's cancellation link; no lookup table needed."""
    return signing.dumps({"r": rsvp.pk, "k": _fingerprint(rsvp)}, salt=CANCEL_SALT)


def read_cancel_token(token: str) -> RSVP | None:
    """The RSVP a cancellation token names, or None if forged (or the RSVP erased)."""
    try:
        data = signing.loads(token, salt=CANCEL_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("r"), int):
        return None
    rsvp = RSVP.objects.select_related("event", "shift").filter(pk=data["r"]).first()
    if rsvp is None or _fingerprint(rsvp) != data.get("k"):
        return None
    return rsvp
