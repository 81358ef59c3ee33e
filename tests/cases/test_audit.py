"""Every read and write of a case lands in the audit log, which nothing changes."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client

from groundswell.accounts.models import User
from groundswell.cases import actions
from groundswell.cases.models import AuditEntry, Case
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _actions(case: Case) -> list[str]:
    return list(
        AuditEntry.objects.filter(case_id=case.pk).order_by("pk").values_list("action", flat=True)
    )


def test_reads_and_writes_are_logged_without_values(case: Case, advocate: User) -> None:
    client = login(Client(), advocate)
    client.get(f"/manage/action-now/cases/{case.pk}/")
    client.post(f"/manage/action-now/cases/{case.pk}/notes/", {"text": "Spoke to the nurse"})
    actions.update_case(case, by=advocate, medical_details="New details", facility="Dixon")
    client.post(f"/manage/action-now/cases/{case.pk}/close/")
    assert _actions(case) == ["create", "assign", "read", "note", "update", "close"]
    update = AuditEntry.objects.get(case_id=case.pk, action="update")
    assert update.detail == "medical_details, facility" and "New details" not in update.detail
    assert all(entry.who == advocate.email for entry in AuditEntry.objects.filter(action="note"))


def test_deleting_a_case_keeps_its_log(case: Case, manager: User) -> None:
    pk = case.pk
    actions.delete_case(case, by=manager)
    assert _actions(Case(pk=pk))[-1] == "delete"


def test_a_note_left_empty_is_refused_and_changes_nothing(case: Case, advocate: User) -> None:
    client = login(Client(), advocate)
    before = AuditEntry.objects.filter(action="note").count()
    response = client.post(f"/manage/action-now/cases/{case.pk}/notes/", {"text": " "})
    assert response.status_code == 400
    assert not case.notes.exists()
    assert AuditEntry.objects.filter(action="note").count() == before


@pytest.mark.postgresql
def test_on_postgresql_audit_rows_cannot_be_changed_or_deleted(case: Case) -> None:
    entry = AuditEntry.objects.filter(case_id=case.pk).first()
    assert entry is not None
    for sql in (
        "UPDATE cases_auditentry SET who = 'someone else' WHERE id = %s",
        "DELETE FROM cases_auditentry WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [entry.pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).who == entry.who
