"""A case's page: its details changed, activities added and done, by whoever may open it."""

from __future__ import annotations

import pytest
from django.test import Client

from groundswell.accounts.models import User
from groundswell.cases import vault
from groundswell.cases.models import AuditEntry, Case, Urgency
from tests.cases.conftest import IDOC, SECRET_DETAIL
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_the_advocate_changes_the_details_and_the_log_names_the_fields(
    case: Case, advocate: User
) -> None:
    client = login(Client(), advocate)
    form = client.get(f"/manage/action-now/cases/{case.pk}/edit/").content.decode()
    assert SECRET_DETAIL in form and IDOC in form
    response = client.post(
        f"/manage/action-now/cases/{case.pk}/edit/",
        {
            "urgency": Urgency.URGENT,
            "client_name": "Fictional Client",
            "facility": "Dixon Correctional Center",
            "jurisdiction": "IDOC",
            "idoc_number": IDOC,
            "tirc_number": "",
            "description": "He collapsed in his cell.",
            "medical_details": "Insulin given on Friday",
            "legal_notes": "Counsel: none yet.",
        },
    )
    assert response.status_code == 303
    case.refresh_from_db()
    assert case.facility == "Dixon Correctional Center" and case.urgency == Urgency.URGENT
    assert vault.opened(case)["medical_details"] == "Insulin given on Friday"
    update = AuditEntry.objects.get(case_id=case.pk, action="update")
    assert set(update.detail.split(", ")) == {"urgency", "facility", "medical_details"}
    assert "Insulin" not in update.detail


def test_a_bad_change_is_refused_and_changes_nothing(case: Case, advocate: User) -> None:
    response = login(Client(), advocate).post(
        f"/manage/action-now/cases/{case.pk}/edit/", {"urgency": "9", "client_name": ""}
    )
    assert response.status_code == 400
    assert "Nothing was changed." in response.content.decode()
    assert not AuditEntry.objects.filter(case_id=case.pk, action="update").exists()


def test_an_unassigned_organizer_cannot_change_a_case(case: Case, organizer: User) -> None:
    client = login(Client(), organizer)
    assert client.get(f"/manage/action-now/cases/{case.pk}/edit/").status_code == 404
    response = client.post(f"/manage/action-now/cases/{case.pk}/activities/", {"title": "x"})
    assert response.status_code == 404
    assert not case.activities.filter(title="x").exists()


def test_activities_are_added_and_done(case: Case, advocate: User) -> None:
    client = login(Client(), advocate)
    response = client.post(
        f"/manage/action-now/cases/{case.pk}/activities/",
        {"title": "Visit him at Stateville", "due_at": "2031-05-01T10:00"},
    )
    assert response.status_code == 303
    activity = case.activities.get(title="Visit him at Stateville")
    assert activity.due_at is not None and activity.done_at is None
    client.post(f"/manage/action-now/cases/{case.pk}/activities/{activity.pk}/done/")
    activity.refresh_from_db()
    assert activity.done_at is not None and activity.done_by == advocate
    assert (
        client.post(f"/manage/action-now/cases/{case.pk}/activities/", {"title": ""}).status_code
        == 400
    )
