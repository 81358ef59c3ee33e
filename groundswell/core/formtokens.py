"""A signed timestamp in each public form (signing, RSVP, volunteering, sign-ons), to
tell a person, who takes a few seconds, from a bot that posts at once. Each form signs
with its own salt, so one form's token is no good on another."""

from __future__ import annotations

import time

from django.core import signing

MAX_AGE = 12 * 3600  # a page left open over a working day still submits


def issue(salt: str) -> str:
    return signing.dumps(int(time.time()), salt=salt)


def age(token: str, salt: str, max_age: int = MAX_AGE) -> float | None:
    """Seconds since the form was served, or None for a missing, forged or old token."""
    try:
        issued = signing.loads(token, salt=salt, max_age=max_age)
    except (signing.BadSignature, TypeError):
        return None
    return time.time() - issued if isinstance(issued, int) else None
