"""A case's confidential fields, sealed with its own data key (cases.crypto), each bound
to its case and its field. The key is made by the first write that seals something
(never by a read: a read of a case without one finds nothing sealed to open)."""

from __future__ import annotations

from django.db import transaction

from groundswell.cases import crypto
from groundswell.cases.models import SEALED_FIELDS, Case, CaseKey, Document, Note

NOTE_FIELD = "note"
DOCUMENT_NAME_FIELD = "document_name"


def data_key(case: Case, *, create: bool = False) -> bytes:
    """The case's data key. Only a write (`create=True`) makes one, stored wrapped;
    without it, a case with no key raises KeyUnavailable (its key was destroyed, or it
    never sealed anything)."""
    stored = CaseKey.objects.filter(case=case).first()
    if stored is not None:
        return crypto.unwrap(stored.fingerprint, bytes(stored.wrapped), case.pk)
    if not create:
        raise crypto.KeyUnavailable(f"case {case.pk} has no data key")
    key = crypto.new_data_key()
    fingerprint, wrapped = crypto.wrap(key, case.pk)
    CaseKey.objects.create(case=case, fingerprint=fingerprint, wrapped=wrapped)
    return key


def seal(case: Case, **fields: str) -> list[str]:
    """Set sealed fields on `case` (not saved); returns the names set."""
    key = data_key(case, create=True)
    for name, value in fields.items():
        if name not in SEALED_FIELDS:
            raise ValueError(f"{name} is not a sealed field")
        setattr(case, name, crypto.encrypt(key, value, case.pk, name))
    return list(fields)


def opened(case: Case) -> dict[str, str]:
    """The sealed fields in clear (all blank for a case that never sealed anything)."""
    if not any(getattr(case, name) for name in SEALED_FIELDS):
        return dict.fromkeys(SEALED_FIELDS, "")
    key = data_key(case)
    return {name: crypto.decrypt(key, getattr(case, name), case.pk, name) for name in SEALED_FIELDS}


def seal_note(case: Case, text: str) -> str:
    return crypto.encrypt(data_key(case, create=True), text, case.pk, NOTE_FIELD)


def note_texts(case: Case, notes: list[Note]) -> list[tuple[Note, str]]:
    if not notes:
        return []
    key = data_key(case)
    return [(note, crypto.decrypt(key, note.body, case.pk, NOTE_FIELD)) for note in notes]


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


def reseal_legacy() -> int:
    """Seal again, bound to their field, the values sealed before fields were bound
    (crypto.LEGACY_PREFIX); returns how many. Each case in its own transaction, each
    value only if it is still the legacy one, so a rerun carries on."""
    resealed = 0
    legacy = crypto.LEGACY_PREFIX
    cases = Case.objects.filter(
        pk__in=CaseKey.objects.values("case_id"),
    ).order_by("pk")
    for case in cases.iterator():
        with transaction.atomic():
            key = data_key(case)
            for name in SEALED_FIELDS:
                value = getattr(case, name)
                if value.startswith(legacy):
                    plain = crypto.decrypt(key, value, case.pk, name)
                    resealed += Case.objects.filter(pk=case.pk, **{name: value}).update(
                        **{name: crypto.encrypt(key, plain, case.pk, name)}
                    )
            for note in Note.objects.filter(case=case, body__startswith=legacy):
                plain = crypto.decrypt(key, note.body, case.pk, NOTE_FIELD)
                resealed += Note.objects.filter(pk=note.pk, body=note.body).update(
                    body=crypto.encrypt(key, plain, case.pk, NOTE_FIELD)
                )
            for document in Document.objects.filter(case=case, name__startswith=legacy):
                plain = crypto.decrypt(key, document.name, case.pk, DOCUMENT_NAME_FIELD)
                resealed += Document.objects.filter(pk=document.pk, name=document.name).update(
                    name=crypto.encrypt(key, plain, case.pk, DOCUMENT_NAME_FIELD)
                )
    return resealed
