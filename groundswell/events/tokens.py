"""Signed tokens for the links in RSVP emails (core.tokens): validating one needs no
lookup table, and a forged or altered one names nothing."""

from __future__ import annotations

from django.conf import settings

from groundswell.core import tokens
from groundswell.events.models import RSVP

CANCEL_SALT = "groundswell.events.cancel"


def _fingerprint(rsvp: RSVP) -> str:
    return tokens.fingerprint(rsvp.pk, rsvp.key)


def _rsvp(pk: int) -> RSVP | None:
    return RSVP.objects.select_related("event", "shift").filter(pk=pk).first()


def cancel_token(rsvp: RSVP) -> str:
    """A signed token for the RSVP's cancellation link; no lookup table needed."""
    return tokens.make({"r": rsvp.pk, "k": _fingerprint(rsvp)}, salt=CANCEL_SALT)


def read_cancel_token(token: str) -> RSVP | None:
    """The RSVP a cancellation token names, or None if forged (or the RSVP erased)."""
    _outcome, rsvp = tokens.open_record(
        token,
        salt=CANCEL_SALT,
        max_age=None,
        id_key="r",
        find=_rsvp,
        fingerprint_key="k",
        fingerprint_of=_fingerprint,
    )
    return rsvp


# --- Confirming the address (and with it the consents ticked on the RSVP) -----------------

CONFIRM_SALT = "groundswell.events.confirm"


def _address_fingerprint(rsvp: RSVP) -> str:
    return tokens.fingerprint(rsvp.pk, rsvp.key, rsvp.email_normalized)


def confirm_token(rsvp: RSVP) -> str:
    """A signed, expiring token for the link confirming the RSVP's email address."""
    return tokens.make({"r": rsvp.pk, "k": _address_fingerprint(rsvp)}, salt=CONFIRM_SALT)


def read_confirm_token(token: str) -> RSVP | None:
    """The RSVP a confirmation token names, or None if forged, expired, or the RSVP
    erased (a new key) or without an address."""
    _outcome, rsvp = tokens.open_record(
        token,
        salt=CONFIRM_SALT,
        max_age=settings.VERIFICATION_MAX_AGE_DAYS * 24 * 3600,
        id_key="r",
        find=_rsvp,
        fingerprint_key="k",
        fingerprint_of=_address_fingerprint,
    )
    if rsvp is None or rsvp.anonymized_at is not None or not rsvp.email_normalized:
        return None
    return rsvp
