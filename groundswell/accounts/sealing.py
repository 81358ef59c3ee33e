"""Encrypting small secrets (TOTP keys) at rest with a key derived from SECRET_KEY.

A database dump alone then does not hand out anyone's second factor. Fernet (AES-128-CBC
with HMAC-SHA256, from the `cryptography` package) does the work; SECRET_KEY_FALLBACKS
still open what an older key sealed.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.utils.crypto import salted_hmac

VERSION = "v2"
_KEY_SALT = "groundswell.accounts.sealing.key"


class Unsealable(ValueError):
    """The value was tampered with, or sealed with a key this server no longer has."""


def _fernet(secret: str | bytes) -> Fernet:
    key = salted_hmac(_KEY_SALT, "fernet", secret=secret, algorithm="sha256").digest()
    return Fernet(base64.urlsafe_b64encode(key))


def _keys() -> MultiFernet:
    return MultiFernet(
        [_fernet(secret) for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]]
    )


def seal(plaintext: str) -> str:
    return f"{VERSION}:{_keys().encrypt(plaintext.encode()).decode()}"


def unseal(sealed: str) -> str:
    version, _, token = sealed.partition(":")
    if version != VERSION:
        raise Unsealable("not a sealed value")
    try:
        return _keys().decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        raise Unsealable("sealed with an unknown key, or altered") from None
