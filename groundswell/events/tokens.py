"""Signed tokens for the links in RSVP emails: validating one needs no lookup table,
and a forged or altered one names nothing."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core import signing

from groundswell.core import formtokens
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


# --- Confirming the address (and with it the consents ticked on the RSVP) -----------------

CONFIRM_SALT = "groundswell.events.confirm"


def _address_fingerprint(rsvp: RSVP) -> str:
    return hashlib.sha256(f"{rsvp.pk}:{rsvp.key}:{rsvp.email_normalized}".encode()).hexdigest()[:16]


def confirm_token(rsvp: RSVP) -> str:
    """A signed, expiring token for the link confirming the RSVP's email address."""
    return signing.dumps({"r": rsvp.pk, "k": _address_fingerprint(rsvp)}, salt=CONFIRM_SALT)


def read_confirm_token(token: str) -> RSVP | None:
    """The RSVP a confirmation token names, or None if forged, expired, or the RSVP
    erased (a new key) or without an address."""
    max_age = settings.VERIFICATION_MAX_AGE_DAYS * 24 * 3600
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=max_age)
    except signing.BadSignature:  # SignatureExpired included
        return None
    if not isinstance(data, dict) or not isinstance(data.get("r"), int):
        return None
    rsvp = RSVP.objects.select_related("event", "shift").filter(pk=data["r"]).first()
    if rsvp is None or rsvp.anonymized_at is not None or not rsvp.email_normalized:
        return None
    if _address_fingerprint(rsvp) != data.get("k"):
        return None
    return rsvp


# --- The public forms' timestamp (RSVP, proposal): a person takes a few seconds ---------------

FORM_TOKEN_SALT = "groundswell.events.form"  # noqa: S105 - a signing salt, not a secret
FORM_TOKEN_MAX_AGE = 12 * 3600


def form_token() -> str:
    """A signed timestamp for the form, to tell a person from an instant bot."""
    return formtokens.issue(FORM_TOKEN_SALT)


def form_age(token: str) -> float | None:
    """Seconds since the form was served, or None for a missing, forged or old token."""
    return formtokens.age(token, FORM_TOKEN_SALT, FORM_TOKEN_MAX_AGE)
