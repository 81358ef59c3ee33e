"""Complaint files uploaded by an organizer are imported by the worker, not in the
request: the data set's page shows them queued, then done with their row errors; a
run resumes after the last committed batch, and importing again changes nothing."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable

import pytest
from django.test import Client

from groundswell.organizations.models import Membership
from groundswell.research.actions import complaint_imports, misconduct
from groundswell.research.models import Allegation, ComplaintImport, Dataset, Officer
from tests.conftest import login
from tests.research.conftest import DATA

pytestmark = pytest.mark.django_db

ALLEGATIONS = (DATA / "allegations.csv").read_text()
FIRST_ROW = ALLEGATIONS.splitlines()[1]


@pytest.fixture
def empty(dee: Membership) -> Dataset:
    return misconduct.create_dataset(
        dee,
        name="Complaints",
        source="Synthetic sample",
        data_date=datetime.date(2022, 1, 31),
        synthetic=True,
    )


def upload(text: str | bytes, name: str) -> io.BytesIO:
    file = io.BytesIO(text.encode() if isinstance(text, str) else text)
    file.name = name
    return file


def test_an_upload_is_imported_by_the_worker_with_its_row_errors(
    client: Client, organizer: object, empty: Dataset, drain: Callable[[], int]
) -> None:
    login(client, organizer)  # type: ignore[arg-type]
    page = f"/manage/action-now/research/data/{empty.pk}/"
    refused = client.post(page, {"allegations": upload(b"crid\n\xff\xfe\n", "bad.csv")})
    assert refused.status_code == 400 and "not UTF-8" in refused.content.decode()
    assert not ComplaintImport.objects.exists()
    response = client.post(
        page,
        {
            "officers": upload((DATA / "officers.csv").read_text(), "officers.csv"),
            "allegations": upload(
                ALLEGATIONS + "C-2022-101,S-1003,not a date,Use of Force,,,,,,\n", "allegations.csv"
            ),
        },
    )
    assert response.status_code == 303
    html = client.get(page).content.decode()
    assert html.count("Waiting to start") == 2
    assert "It starts once the officers file is imported." in html
    assert not Allegation.objects.exists()  # nothing in the request

    drain()

    html = client.get(page).content.decode()
    assert html.count("Done") == 2 and "Waiting to start" not in html
    assert "11 added, 0 updated, 0 unchanged, 0 repeated rows left out, 1 rows with errors" in html
    assert "Line 13: “not a date” is not a date" in html
    assert Officer.objects.filter(dataset=empty).count() == 4
    first = Allegation.objects.get(crid="C-2018-001", officer_ref="S-1001")
    assert first.officer is not None and first.officer.last_name == "Sample"
    assert ComplaintImport.objects.filter(data=b"").count() == 2  # the files are not kept


def test_an_import_resumes_after_its_last_batch_and_runs_again_unchanged(
    dee: Membership,
    empty: Dataset,
    drain: Callable[[], int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(complaint_imports, "BATCH_SIZE", 4)
    text = ALLEGATIONS + FIRST_ROW + "\n"  # row 1 again, three batches later
    job = complaint_imports.queue_import(dee, empty, kind="allegations", data=text.encode())
    assert job.rows_total == 12

    assert complaint_imports.run_import(job.pk, batches=1) is True  # then its worker dies
    job.refresh_from_db()
    assert (job.status, job.rows_done, empty.allegations.count()) == ("running", 4, 4)

    drain()  # the queued task resumes at row 4

    job.refresh_from_db()
    assert (job.status, job.rows_done, job.created_count) == ("done", 12, 11)
    assert (job.duplicate_count, job.error_count) == (1, 0)
    assert empty.allegations.count() == 11
    assert complaint_imports.run_import(job.pk) is False  # a late rerun changes nothing

    again = complaint_imports.queue_import(dee, empty, kind="allegations", data=text.encode())
    drain()
    again.refresh_from_db()
    assert (again.status, again.created_count, again.unchanged_count) == ("done", 0, 11)
    assert again.duplicate_count == 1
