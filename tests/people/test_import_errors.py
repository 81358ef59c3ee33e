"""The failed rows of an import, as a CSV to fix and import again."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization
from groundswell.people.models import AuditEvent, ImportRowError, Supporter
from tests.conftest import login
from tests.people.importing import ANA, HEADER, base, import_csv

pytestmark = pytest.mark.django_db


def errors_csv(client: Client, organization: Organization, job_id: int) -> list[list[str]]:
    response = client.get(f"{base(organization)}{job_id}/errors.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_failed_rows_keep_their_row_number_values_and_reason(
    client: Client, organizer: User, action_now: Organization, drain: Any
) -> None:
    login(client, organizer)
    content = HEADER + ANA + "\nBo,Diaz,bo@nowhere,,60608,\n"
    job = import_csv(client, action_now, content, drain)
    assert (job.created_count, job.failed_count) == (1, 1)
    error = ImportRowError.objects.get(job=job)
    assert error.row_number == 4  # the header is row 1; the blank line still counts
    assert error.values == ["Bo", "Diaz", "bo@nowhere", "", "60608", ""]
    assert error.reason == "Email: not a valid email address."
    rows = errors_csv(client, action_now, job.pk)
    assert rows == [
        ["First name", "Last name", "Email", "Phone", "ZIP", "Tags", "error"],
        ["Bo", "Diaz", "bo@nowhere", "", "60608", "", "Email: not a valid email address."],
    ]
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORTED)
    assert (event.records, event.user) == (1, organizer)


def test_cells_cannot_run_as_formulas(
    client: Client, organizer: User, action_now: Organization, drain: Any
) -> None:
    login(client, organizer)
    content = (
        "First name,Last name,Email,Notes\n"
        '=HYPERLINK("http://evil.example"),+1+1,@SUM(A1),-2\n'
        '"\tTab","\rReturn",x,ok\n'
    )
    job = import_csv(
        client,
        action_now,
        content,
        drain,
        mapping={0: "first_name", 1: "last_name", 2: "email", 3: "custom"},
    )
    assert job.failed_count == 2
    rows = errors_csv(client, action_now, job.pk)
    assert rows[1][:4] == ['\'=HYPERLINK("http://evil.example")', "'+1+1", "'@SUM(A1)", "'-2"]
    assert rows[2][:2] == ["'\tTab", "'\rReturn"]


def test_the_fixed_rows_import_on_their_own(
    client: Client, organizer: User, action_now: Organization, drain: Any
) -> None:
    login(client, organizer)
    job = import_csv(client, action_now, HEADER + ANA + "Bo,-,bo@nowhere,,60608,\n", drain)
    rows = errors_csv(client, action_now, job.pk)
    assert rows[1][1] == "'-"
    rows[1][2] = "bo@example.org"
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    fixed = import_csv(client, action_now, buffer.getvalue(), drain, name="fixed.csv")
    assert (fixed.created_count, fixed.failed_count) == (1, 0)  # the "error" column is skipped
    assert Supporter.objects.filter(organization=action_now).count() == 2
    # What the errors file neutralized comes back as it was.
    assert Supporter.objects.get(email="bo@example.org").last_name == "-"


def test_the_detail_page_lists_the_failures(
    client: Client, organizer: User, action_now: Organization, drain: Any
) -> None:
    login(client, organizer)
    job = import_csv(client, action_now, HEADER + ",,,,,\n" + "A,B,,,,\n", drain)
    page = client.get(f"{base(action_now)}{job.pk}/").content.decode()
    assert "No email address and no phone number" in page
    assert "Download the rows that failed" in page
    assert "import_progress.js" not in page


def test_another_organization_cannot_download_them(
    client: Client, organizer: User, outsider: User, action_now: Organization, drain: Any
) -> None:
    login(client, organizer)
    job = import_csv(client, action_now, HEADER + "Bo,Diaz,bo@nowhere,,,\n", drain)
    login(client, outsider)
    assert client.get(f"{base(action_now)}{job.pk}/errors.csv").status_code == 403
    assert client.get(f"/manage/elsewhere/people/imports/{job.pk}/errors.csv").status_code == 404
