"""Confidential fields are stored encrypted with the case's own key, itself wrapped by
CASES_KEYS; keys rotate; deleting a case leaves its ciphertext unreadable."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from groundswell.accounts.models import User
from groundswell.cases import actions, crypto, vault
from groundswell.cases.models import Case, CaseKey, Note
from tests.cases.conftest import SECRET_DETAIL

pytestmark = pytest.mark.django_db

OLD_KEY = crypto.new_key()
NEW_KEY = crypto.new_key()


def _raw(table: str, column: str, pk: int) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_the_raw_row_holds_ciphertext(case: Case, advocate: User) -> None:
    raw = _raw("cases_case", "medical_details", case.pk)
    assert raw.startswith(crypto.PREFIX) and SECRET_DETAIL not in raw
    assert "Fictional Client" not in _raw("cases_case", "client_name", case.pk)
    note = actions.add_note(case, "Called the warden at 3 pm", by=advocate)
    assert "warden" not in _raw("cases_note", "body", note.pk)
    assert vault.opened(Case.objects.get(pk=case.pk))["medical_details"] == SECRET_DETAIL
    [(_, text)] = vault.note_texts(case, [Note.objects.get(pk=note.pk)])
    assert text == "Called the warden at 3 pm"


def test_setting_keys_after_the_demo_key_rewraps_what_it_wrapped(settings: Any, case: Case) -> None:
    settings.CASES_KEYS = [NEW_KEY]
    assert vault.opened(case)["medical_details"] == SECRET_DETAIL
    call_command("rewrap_case_keys")
    first = crypto.wrapping_keys()[0].fingerprint
    assert CaseKey.objects.get(case=case).fingerprint == first
    settings.SECRET_KEY = "another secret key, long enough to be accepted " * 2
    assert vault.opened(Case.objects.get(pk=case.pk))["medical_details"] == SECRET_DETAIL


def test_each_case_has_its_own_key(case: Case, manager: User) -> None:
    other = actions.open_case(
        case.organization, case_type=case.case_type, medical_details=SECRET_DETAIL, by=manager
    )
    assert vault.data_key(case) != vault.data_key(other)
    assert _raw("cases_case", "medical_details", case.pk) != _raw(
        "cases_case", "medical_details", other.pk
    )


def test_keys_rotate_and_old_keys_open_until_rewrapped(
    settings: Any, action_now: Any, types: Any, manager: User
) -> None:
    settings.CASES_KEYS = [OLD_KEY]
    case = actions.open_case(
        action_now, case_type=types["torture-claim"], legal_notes="Filed 2019", by=manager
    )
    settings.CASES_KEYS = [NEW_KEY, OLD_KEY]
    assert vault.opened(case)["legal_notes"] == "Filed 2019"  # the old key still unwraps
    call_command("rewrap_case_keys")
    call_command("rewrap_case_keys")  # again: nothing left to do
    settings.CASES_KEYS = [NEW_KEY]
    fresh = Case.objects.get(pk=case.pk)
    assert vault.opened(fresh)["legal_notes"] == "Filed 2019"
    settings.CASES_KEYS = [OLD_KEY]
    with pytest.raises(crypto.KeyUnavailable):
        vault.opened(fresh)


def test_deleting_a_case_destroys_its_key(case: Case, manager: User) -> None:
    stored = CaseKey.objects.get(case=case)
    fingerprint, wrapped = stored.fingerprint, bytes(stored.wrapped)
    ciphertext = _raw("cases_case", "medical_details", case.pk)  # a backup's copy
    key = vault.data_key(case)
    assert crypto.decrypt(key, ciphertext, case.pk, "medical_details") == SECRET_DETAIL
    pk = case.pk
    actions.delete_case(case, by=manager)
    assert not CaseKey.objects.filter(pk=stored.pk).exists()
    assert not Case.objects.filter(pk=pk).exists()
    # The key is gone with the row; a new data key (as any other case's) opens nothing.
    with pytest.raises(crypto.KeyUnavailable):
        crypto.decrypt(crypto.new_data_key(), ciphertext, pk, "medical_details")
    assert fingerprint and wrapped  # only a copy of the wrapped key taken before would do


def test_a_value_copied_into_another_field_or_case_does_not_open(case: Case, manager: User) -> None:
    medical = _raw("cases_case", "medical_details", case.pk)
    Case.objects.filter(pk=case.pk).update(legal_notes=medical)  # a swap in the database
    with pytest.raises(crypto.KeyUnavailable):
        vault.opened(Case.objects.get(pk=case.pk))
    key = vault.data_key(case)
    with pytest.raises(crypto.KeyUnavailable):
        crypto.decrypt(key, medical, case.pk + 1, "medical_details")


def test_values_sealed_before_fields_were_bound_open_and_are_sealed_again(
    case: Case, advocate: User
) -> None:
    key = vault.data_key(case)
    # A value as the first version sealed it: bound to the case only.
    legacy = (
        crypto.LEGACY_PREFIX
        + base64.b64encode(crypto._seal(key, b"Filed 2019", b"case:%d" % case.pk)).decode()
    )
    Case.objects.filter(pk=case.pk).update(legal_notes=legacy)
    assert vault.opened(Case.objects.get(pk=case.pk))["legal_notes"] == "Filed 2019"
    call_command("rewrap_case_keys")
    raw = _raw("cases_case", "legal_notes", case.pk)
    assert raw.startswith(crypto.PREFIX) and raw != legacy
    assert vault.opened(Case.objects.get(pk=case.pk))["legal_notes"] == "Filed 2019"


def test_reading_a_case_never_makes_its_key(case: Case, advocate: User) -> None:
    actions.add_note(case, "First call made", by=advocate)
    CaseKey.objects.filter(case=case).delete()  # destroyed: a read cannot bring one back
    fresh = Case.objects.get(pk=case.pk)
    with pytest.raises(crypto.KeyUnavailable):
        vault.opened(fresh)
    with pytest.raises(crypto.KeyUnavailable):
        vault.note_texts(fresh, list(fresh.notes.all()))
    assert not CaseKey.objects.filter(case=case).exists()


def test_a_bad_key_in_the_settings_is_refused(settings: Any) -> None:
    from django.core.exceptions import ImproperlyConfigured

    settings.CASES_KEYS = ["not base64!"]
    with pytest.raises(ImproperlyConfigured):
        crypto.wrapping_keys()
    settings.CASES_KEYS = ["c2hvcnQ="]
    with pytest.raises(ImproperlyConfigured):
        crypto.wrapping_keys()


def test_the_deploy_check_warns_while_cases_rest_on_secret_key(settings: Any) -> None:
    from django.core import checks

    settings.CASES_KEYS = []
    found = [m.id for m in checks.run_checks(include_deployment_checks=True)]
    assert "cases.W001" in found
    settings.CASES_KEYS = ["k" * 44]
    found = [m.id for m in checks.run_checks(include_deployment_checks=True)]
    assert "cases.W001" not in found
