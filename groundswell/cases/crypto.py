"""Encryption at rest of a case's confidential fields (medical details, legal notes,
notes): each case has its own data key (AES-256-GCM), kept only wrapped by a key from
the environment (CASES_KEYS).

- The first of CASES_KEYS wraps new data keys; every one of them unwraps, so a new key
  goes in front, `manage.py rewrap_case_keys` wraps every data key with it, and only
  then is the old one dropped.
- Deleting a case deletes its wrapped data key with it: whatever copies of its
  ciphertext remain (a backup, a log) can no longer be read (crypto-shredding).
- A wrapped key names the wrapping key by a fingerprint, so unwrapping picks the right
  one and a missing key says which.

Without CASES_KEYS a key derived from SECRET_KEY wraps: good for a demo, not for an
installation (docs/cases.md); once CASES_KEYS is set it still unwraps what it wrapped,
until `rewrap_case_keys` has wrapped those with the first of CASES_KEYS.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NONCE_BYTES = 12
# A stored value: PREFIX + base64(nonce + ciphertext and tag), sealed with the case's id
# and the field's name as associated data, so a value copied into another field or
# another case does not open. LEGACY_PREFIX values (bound to the case only) still open,
# and `vault.reseal_legacy` (run by rewrap_case_keys) seals them again bound.
PREFIX = "gcm2:"
LEGACY_PREFIX = "gcm1:"


class KeyUnavailable(Exception):
    """The data key cannot be unwrapped: no key of CASES_KEYS wrapped it, or the case's
    key was destroyed."""


@dataclass(frozen=True)
class WrappingKey:
    fingerprint: str
    key: bytes


def _decode(value: str) -> bytes:
    try:
        key = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError) as error:
        raise ImproperlyConfigured("each of CASES_KEYS must be base64") from error
    if len(key) != 32:
        raise ImproperlyConfigured("each of CASES_KEYS must be 32 bytes (base64 of 32 bytes)")
    return key


def wrapping_keys() -> list[WrappingKey]:
    """CASES_KEYS in order (the first wraps), then the key derived from SECRET_KEY,
    which wraps only while CASES_KEYS is empty (a demo) and unwraps what it wrapped
    until rewrap_case_keys has run."""
    raw = [_decode(value) for value in settings.CASES_KEYS if value.strip()]
    raw.append(hashlib.sha256(b"groundswell.cases:" + settings.SECRET_KEY.encode()).digest())
    return [WrappingKey(hashlib.sha256(key).hexdigest()[:16], key) for key in raw]


def new_key() -> str:
    """A fresh base64 key, as CASES_KEYS holds them."""
    return base64.b64encode(AESGCM.generate_key(bit_length=256)).decode()


def _seal(key: bytes, plain: bytes, context: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plain, context)


def _open(key: bytes, sealed: bytes, context: bytes) -> bytes:
    return AESGCM(key).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], context)


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def wrap(data_key: bytes, case_id: int) -> tuple[str, bytes]:
    """The data key wrapped by the first wrapping key: (its fingerprint, the sealed key)."""
    first = wrapping_keys()[0]
    return first.fingerprint, _seal(first.key, data_key, b"case-key:%d" % case_id)


def unwrap(fingerprint: str, wrapped: bytes, case_id: int) -> bytes:
    for candidate in wrapping_keys():
        if candidate.fingerprint == fingerprint:
            try:
                return _open(candidate.key, bytes(wrapped), b"case-key:%d" % case_id)
            except InvalidTag as error:
                raise KeyUnavailable(f"case {case_id}: its key does not open") from error
    raise KeyUnavailable(f"case {case_id}: wrapped by key {fingerprint}, not in CASES_KEYS")


def _field_context(case_id: int, field: str) -> bytes:
    return b"case:%d:field:%s" % (case_id, field.encode())


def encrypt(data_key: bytes, text: str, case_id: int, field: str) -> str:
    """`text` sealed with the case's data key, bound to the case and the field ("" stays
    "")."""
    if not text:
        return ""
    sealed = _seal(data_key, text.encode(), _field_context(case_id, field))
    return PREFIX + base64.b64encode(sealed).decode()


def decrypt(data_key: bytes, stored: str, case_id: int, field: str) -> str:
    if not stored:
        return ""
    if stored.startswith(PREFIX):
        body, context = stored[len(PREFIX) :], _field_context(case_id, field)
    elif stored.startswith(LEGACY_PREFIX):
        body, context = stored[len(LEGACY_PREFIX) :], b"case:%d" % case_id
    else:
        raise KeyUnavailable(f"case {case_id}: a value is not sealed")
    try:
        return _open(data_key, base64.b64decode(body), context).decode()
    except InvalidTag as error:
        raise KeyUnavailable(f"case {case_id}: a value does not open with its key") from error


def is_legacy(stored: str) -> bool:
    return stored.startswith(LEGACY_PREFIX)


def encrypt_bytes(data_key: bytes, data: bytes, case_id: int) -> bytes:
    """A document's content sealed with the case's data key (nonce first)."""
    return _seal(data_key, data, b"case-document:%d" % case_id)


def decrypt_bytes(data_key: bytes, sealed: bytes, case_id: int) -> bytes:
    try:
        return _open(data_key, sealed, b"case-document:%d" % case_id)
    except InvalidTag as error:
        raise KeyUnavailable(f"case {case_id}: a document does not open with its key") from error
