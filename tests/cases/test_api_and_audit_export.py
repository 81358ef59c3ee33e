"""The API never reveals a case (its tokens belong to an organization, not to someone a
case is assigned to, so no token may see one); owners download the audit log as CSV,
redacted by default; closed cases past CASES_RETENTION_DAYS are deleted with their key."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from groundswell.accounts.models import User
from groundswell.api.urls import ROUTES
from groundswell.cases import actions
from groundswell.cases.models import AuditEntry, Case, CaseKey, CaseType
from groundswell.organizations.models import Membership, Organization
from groundswell.people import actions as people_actions
from tests.api.conftest import ApiClient, token_for
from tests.cases.conftest import IDOC, SECRET_DETAIL
from tests.conftest import login

pytestmark = pytest.mark.django_db


def test_no_route_of_the_api_reveals_a_case(
    action_now: Organization, types: dict[str, CaseType], manager: User
) -> None:
    added = people_actions.add_person(
        action_now,
        fields={"first_name": "Lena", "last_name": "Doe", "email": "lena@example.org"},
        consent_to_email=True,
    )
    case = actions.open_case(
        action_now,
        case_type=types["torture-claim"],
        client_name="Lena Doe",
        client_email="lena@example.org",
        idoc_number=IDOC,
        tirc_number="TIRC-2019-0042",
        facility="Logan Correctional Center",
        medical_details=SECRET_DETAIL,
        by=manager,
    )
    actions.add_note(case, "Met her at Logan", by=manager)
    api = ApiClient(Client(), token_for(action_now))
    secrets = (IDOC, "TIRC-2019", "Logan", SECRET_DETAIL, "Torture claim")
    person = added.supporter.pk
    paths = [pattern.lstrip("/") for pattern, _view, _name in ROUTES if "(?P" not in pattern]
    paths += [f"people/{person}", f"people/{person}/taggings", f"people/{person}/signatures"]
    paths += [f"people/{person}/attendances", f"people/{person}/submissions"]
    for path in paths:
        answer = api.get(path)
        assert answer.status_code == 200, path
        body = answer.content.decode()
        assert not [s for s in secrets if s in body], path
        assert "/cases" not in body, path
    for path in ("cases", f"cases/{case.pk}", f"people/{person}/cases"):
        assert api.get(path).status_code == 404


def _rows(response: Any) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_owners_download_the_audit_log_redacted_unless_they_ask_for_reasons(
    case: Case, owner: User, manager: User, advocate: User
) -> None:
    actions.unassign(case.roles.get(user=advocate), by=manager)
    actions.assign(case, advocate, by=manager)
    glass_case = actions.open_case(case.organization, case_type=case.case_type, by=advocate)
    actions.assign(glass_case, advocate, by=advocate)
    actions.break_glass(
        glass_case, Membership.objects.get(user=manager), "=HYPERLINK(Her sister called)"
    )
    url = "/manage/action-now/cases/audit.csv"
    for user in (manager, advocate):  # not owners
        assert login(Client(), user).get(url).status_code == 403
    client = login(Client(), owner)
    rows = _rows(client.get(url))
    assert {"create", "assign", "unassign", "break_glass"} <= {row["action"] for row in rows}
    glass = next(row for row in rows if row["action"] == "break_glass")
    assert glass["detail"] == "(reason withheld)"
    assert SECRET_DETAIL not in str(rows)
    full = _rows(client.get(url, {"reasons": "1"}))
    glass = next(row for row in full if row["action"] == "break_glass")
    assert glass["detail"] == "'=HYPERLINK(Her sister called)"  # never run as a formula
    exports = AuditEntry.objects.filter(action="export").values_list("detail", flat=True)
    assert sorted(exports) == ["audit log, redacted", "audit log, with break-glass reasons"]


def test_closed_cases_past_the_retention_are_deleted_with_their_key(
    case: Case, manager: User, settings: Any
) -> None:
    open_one = actions.open_case(case.organization, case_type=case.case_type, by=manager)
    actions.close_case(case, by=manager)
    assert actions.delete_expired() == 0  # 0 days: closed cases are kept
    settings.CASES_RETENTION_DAYS = 30
    assert actions.delete_expired() == 0  # closed today
    later = timezone.now() + datetime.timedelta(days=31)
    assert actions.delete_expired(later) == 1
    assert not Case.objects.filter(pk=case.pk).exists()
    assert not CaseKey.objects.filter(case_id=case.pk).exists()
    assert Case.objects.filter(pk=open_one.pk).exists()
    assert AuditEntry.objects.filter(case_id=case.pk, action="delete").exists()
