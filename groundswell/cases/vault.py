"""A case's confidential fields, sealed with its own data key (cases.crypto)."""

from __future__ import annotations

from groundswell.cases import crypto
from groundswell.cases.models import SEALED_FIELDS, Case, CaseKey, Note


def data_key(case: Case) -> bytes:
    """The case's data key, made (and stored wrapped) the first time it is needed."""
    stored = CaseKey.objects.filter(case=case).first()
    if stored is None:
        key = crypto.new_data_key()
        fingerprint, wrapped = crypto.wrap(key, case.pk)
        CaseKey.objects.create(case=case, fingerprint=fingerprint, wrapped=wrapped)
        return key
    return crypto.unwrap(stored.fingerprint, bytes(stored.wrapped), case.pk)


def seal(case: Case, **fields: str) -> list[str]:
    """Set sealed fields on `case` (not saved); returns the names set."""
    key = data_key(case)
    for name, value in fields.items():
        if name not in SEALED_FIELDS:
            raise ValueError(f"{name} is not a sealed field")
        setattr(case, name, crypto.encrypt(key, value, case.pk))
    return list(fields)


def opened(case: Case) -> dict[str, str]:
    """The sealed fields in clear."""
    key = data_key(case)
    return {name: crypto.decrypt(key, getattr(case, name), case.pk) for name in SEALED_FIELDS}


def seal_note(case: Case, text: str) -> str:
    return crypto.encrypt(data_key(case), text, case.pk)


def note_texts(case: Case, notes: list[Note]) -> list[tuple[Note, str]]:
    key = data_key(case)
    return [(note, crypto.decrypt(key, note.body, case.pk)) for note in notes]


def rewrap_all() -> tuple[int, int]:
    """Wrap every data key with the first of CASES_KEYS; returns (rewrapped, already).
    Each key is rewritten on its own, so a run stopped halfway is simply run again."""
    first = crypto.wrapping_keys()[0].fingerprint
    done = already = 0
    for stored in CaseKey.objects.order_by("pk").iterator():
        if stored.fingerprint == first:
            already += 1
            continue
        key = crypto.unwrap(stored.fingerprint, bytes(stored.wrapped), stored.case_id)
        fingerprint, wrapped = crypto.wrap(key, stored.case_id)
        updated = CaseKey.objects.filter(pk=stored.pk, fingerprint=stored.fingerprint).update(
            fingerprint=fingerprint, wrapped=wrapped
        )
        done += updated
    return done, already
