"""Signed tokens: the links in emails (confirming a signature, a sign-on, a sign-up or an
RSVP, cancelling an RSVP, unsubscribing, accepting an invitation, opening one's data)
and the public forms' timestamps. A token carries its payload and when it was made,
signed with SECRET_KEY (or one of SECRET_KEY_FALLBACKS) under a salt of its own, so
checking one needs no table and a token of one kind is no good as another.

The format is django.core.signing's (`dumps`/`loads`), unchanged: links in emails sent
before this module existed read as they always did.

A token that should stop working when its record changes carries a `fingerprint` of
what it was made for (an address, a key): `open_record` compares it with the record's
current one, so a link sent to an address that has since been erased or replaced names
nothing.
"""

from __future__ import annotations

import datetime
import enum
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from django.conf import settings
from django.core import signing
from django.db.models import Model
from django.http import HttpRequest


class Addressed(Protocol):
    """A record confirmed from an email sent to its address."""

    pk: Any
    email_normalized: str


T = TypeVar("T", bound=Model | Addressed)  # a record a link names
A = TypeVar("A", bound=Addressed)


class LinkOutcome(enum.Enum):
    """What following an emailed confirmation link does (or would do). The values are
    what the confirmation pages show."""

    PENDING = "pending"  # a valid link, not used yet
    CONFIRMED = "confirmed"  # used now
    ALREADY_CONFIRMED = "already_confirmed"
    EXPIRED = "expired"
    INVALID = "invalid"  # forged, altered, or its record is gone or changed

    @property
    def status(self) -> int:
        """The HTTP status of the page that says so."""
        return {LinkOutcome.EXPIRED: 410, LinkOutcome.INVALID: 400}.get(self, 200)


@dataclass(frozen=True)
class Reading:
    """A token read back: its payload when valid; `expired` when it was genuine but too
    old; neither when it was forged, altered or garbled."""

    payload: Any = None
    issued_at: int | None = None  # Unix seconds, for a valid token
    expired: bool = False

    @property
    def valid(self) -> bool:
        return self.issued_at is not None

    def get(self, key: str, kind: type) -> Any:
        """`payload[key]` when the payload is a dict holding a value of this kind, else
        None (a bool is not an int here)."""
        if not isinstance(self.payload, dict):
            return None
        value = self.payload.get(key)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            return None
        return value


def make(payload: Any, *, salt: str, compress: bool = False) -> str:
    """A signed token holding `payload` (anything JSON can hold), stamped with now."""
    return signing.dumps(payload, salt=salt, compress=compress)


def read(token: str, *, salt: str, max_age: int | datetime.timedelta | None = None) -> Reading:
    """Read a token made by `make` with this salt, no older than `max_age` seconds."""
    try:
        payload = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired:
        return Reading(expired=True)
    except (signing.BadSignature, ValueError, TypeError):
        return Reading()
    # A genuine token reads "<payload>:<timestamp>:<signature>".
    return Reading(payload, signing.b62_decode(token.rsplit(":", 2)[1]))


def fingerprint(*parts: object) -> str:
    """A short digest of what a token was made for, to compare with the record later."""
    return hashlib.sha256(":".join(str(p) for p in parts).encode()).hexdigest()[:16]


def open_record(
    token: str,
    *,
    salt: str,
    max_age: int | None,
    id_key: str,
    find: Callable[[int], T | None],
    fingerprint_key: str,
    fingerprint_of: Callable[[T], str],
) -> tuple[LinkOutcome, T | None]:
    """The record a link's token names by its id (`payload[id_key]`, looked up with
    `find`): PENDING with it while its fingerprint still matches, else EXPIRED or
    INVALID without it. Whether the record was confirmed before is the caller's to say."""
    reading = read(token, salt=salt, max_age=max_age)
    if reading.expired:
        return LinkOutcome.EXPIRED, None
    pk = reading.get(id_key, int)
    record = find(pk) if pk is not None else None
    if record is None or fingerprint_of(record) != reading.get(fingerprint_key, str):
        return LinkOutcome.INVALID, None
    return LinkOutcome.PENDING, record


R = TypeVar("R")


def follow(
    request: HttpRequest, token: str, *, act: Callable[[str], R], look: Callable[[str], R]
) -> R:
    """An emailed link's page: a GET or HEAD only looks (mail scanners open every link,
    and must not confirm what someone else typed an address into); the page's button
    POSTs, which acts. The token authenticates that POST, so it needs no CSRF cookie."""
    return act(token) if request.method == "POST" else look(token)


# --- Confirmation links: a record confirmed from the email sent to its address -------------


@dataclass(frozen=True)
class ConfirmationLink(Generic[A]):
    """The emailed link that confirms one kind of record (a signature, a sign-on, a
    sign-up), declared once: its salt, the payload key of the record's id, how to find
    the record, and whether it is confirmed already. A link works for
    VERIFICATION_MAX_AGE_DAYS, while the record still has the address it was sent to."""

    salt: str
    id_key: str
    find: Callable[[int], A | None]
    confirmed: Callable[[A], bool]
    compress: bool = False

    def token(self, record: A) -> str:
        payload = {self.id_key: record.pk, "e": fingerprint(record.email_normalized)}
        return make(payload, salt=self.salt, compress=self.compress)

    def check(self, token: str) -> tuple[LinkOutcome, A | None]:
        """What following the link would do, changing nothing: PENDING (or
        ALREADY_CONFIRMED) with its record, else EXPIRED or INVALID without one."""
        outcome, record = open_record(
            token,
            salt=self.salt,
            max_age=settings.VERIFICATION_MAX_AGE_DAYS * 24 * 3600,
            id_key=self.id_key,
            find=self.find,
            fingerprint_key="e",
            fingerprint_of=lambda record: fingerprint(record.email_normalized),
        )
        if record is not None and self.confirmed(record):
            outcome = LinkOutcome.ALREADY_CONFIRMED
        return outcome, record
