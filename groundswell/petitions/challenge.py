"""A proof-of-work challenge on the sign form, ALTCHA-style: no third party, no cookies.

Organizers switch it on per petition under a bot attack (`Petition.requires_challenge`).
The sign form then fetches a fresh challenge from /petitions/<slug>/challenge.json and
the browser (static/petitions/challenge.js) searches for the number that solves it, which
costs a person's phone about a second and a bot farm that much for every signature. The
solution travels in the form's hidden `altcha` field; `verify` checks it.

A challenge is {algorithm, challenge, maxnumber, salt, signature}:

- salt = random hex + "?expires=<unix time>&petition=<id>&". The closing "&" matters:
  the challenge hashes salt + number, so without a terminator a solution for salt "…=1"
  and number 23 would also be one for salt "…=12" and number 3 (a later expiry, another
  petition). `verify` accepts only salts of exactly this shape.
- challenge = sha256(salt + str(number)) for a secret number below maxnumber.
- signature = HMAC-SHA256(challenge) under a key derived from SECRET_KEY, so the server
  keeps nothing per challenge it hands out.

A solution is used once: `verify` remembers it in Django's cache until it expires
(`cache.add`, atomic on Redis). Without REDIS_URL the cache is per process, so on an
install with several app processes a solution could be replayed once in each of them
within its lifetime; the per-IP rate limits still apply to every one of those.

A missing or wrong solution does not refuse the signature: integrity.screen keeps it as
suspect (no email, not counted) and the signer sees the usual thanks page, so a bot learns
nothing from the answer, and a person whose browser failed has signed for the organizers
to review.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import secrets
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.utils.crypto import salted_hmac
from django.views.decorators.http import require_safe

from groundswell.petitions.models import Petition, PetitionRef

ALGORITHM = "SHA-256"
LIFETIME = 600  # seconds a challenge may be solved and submitted in
HMAC_SALT = "groundswell.petitions.challenge"
MAX_PAYLOAD = 1000  # characters of base64; a genuine solution is about 400
SALT_RE = re.compile(
    r"[0-9a-f]{24}\?expires=(?P<expires>[0-9]{1,12})&petition=(?P<petition>[0-9]{1,18})&"
)
HEX64_RE = re.compile(r"[0-9a-f]{64}")


class Problem:
    """Why a solution is rejected (for tests and logs; the signer is never told)."""

    MALFORMED = "malformed"
    SIGNATURE = "signature"
    EXPIRED = "expired"
    PETITION = "petition"
    SOLUTION = "solution"
    REPLAYED = "replayed"


def _sign(challenge: str, secret: str) -> str:
    return salted_hmac(HMAC_SALT, challenge, secret=secret, algorithm="sha256").hexdigest()


def _signature_ok(challenge: str, signature: str) -> bool:
    """Signed with the current SECRET_KEY or one being rotated out."""
    secrets_ = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(hmac.compare_digest(_sign(challenge, s), signature) for s in secrets_)


def _hash(salt: str, number: int) -> str:
    return hashlib.sha256(f"{salt}{number}".encode()).hexdigest()


def issue(petition: Petition, *, now: float | None = None) -> dict[str, Any]:
    """A fresh challenge for this petition's sign form."""
    max_number = settings.CHALLENGE_MAX_NUMBER
    expires = int(now if now is not None else time.time()) + LIFETIME
    salt = f"{secrets.token_hex(12)}?expires={expires}&petition={petition.pk}&"
    challenge = _hash(salt, secrets.randbelow(max_number + 1))
    return {
        "algorithm": ALGORITHM,
        "challenge": challenge,
        "maxnumber": max_number,
        "salt": salt,
        "signature": _sign(challenge, settings.SECRET_KEY),
    }


def encode(solution: dict[str, Any]) -> str:
    """What the browser puts in the form's `altcha` field: base64 of the JSON."""
    return base64.b64encode(json.dumps(solution).encode()).decode()


def problem(petition: PetitionRef, payload: str, *, now: float | None = None) -> str:
    """Why this `altcha` field does not prove the work for this petition, or "".

    A solution that passes is used up: the same one is then rejected as replayed.
    """
    if not payload or len(payload) > MAX_PAYLOAD:
        return Problem.MALFORMED
    try:
        data = json.loads(base64.b64decode(payload, validate=True))
    except (binascii.Error, ValueError):  # bad base64, bad UTF-8 or bad JSON
        return Problem.MALFORMED
    if not isinstance(data, dict):
        return Problem.MALFORMED
    salt, challenge, signature = data.get("salt"), data.get("challenge"), data.get("signature")
    number = data.get("number")
    if (
        data.get("algorithm") != ALGORITHM
        or not isinstance(salt, str)
        or not isinstance(challenge, str)
        or not isinstance(signature, str)
        or not isinstance(number, int)
        or isinstance(number, bool)
        or not 0 <= number <= 10**12
        or not HEX64_RE.fullmatch(challenge)
    ):
        return Problem.MALFORMED
    match = SALT_RE.fullmatch(salt)
    if match is None:
        return Problem.MALFORMED
    if not _signature_ok(challenge, signature):
        return Problem.SIGNATURE
    now = now if now is not None else time.time()
    expires = int(match["expires"])
    if expires <= now:
        return Problem.EXPIRED
    if int(match["petition"]) != petition.pk:
        return Problem.PETITION
    if not hmac.compare_digest(_hash(salt, number), challenge):
        return Problem.SOLUTION
    # Used once: remember it until it would have expired anyway.
    if not cache.add(f"challenge-used:{challenge}", 1, timeout=int(expires - now) + 1):
        return Problem.REPLAYED
    return ""


def verify(petition: PetitionRef, payload: str, *, now: float | None = None) -> bool:
    """The `altcha` field holds an unused, unexpired solution to a challenge issued for
    this petition."""
    return not problem(petition, payload, now=now)


@require_safe
def challenge_json(request: HttpRequest, slug: str) -> HttpResponse:
    """A fresh challenge for each signer: never cached, by a proxy or the browser.

    Issued for any published petition, so a page cached just before the organizers
    switched the challenge off still finds one.
    """
    petition = get_object_or_404(Petition.objects.published().only("pk"), slug=slug)
    response = JsonResponse(issue(petition))
    patch_cache_control(response, no_store=True, private=True)
    return response
