"""A case's documents: type and size checked, stored encrypted where only Groundswell's
account reads, served only to whoever may open the case, gone with it."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from groundswell.accounts.models import User
from groundswell.cases import actions, documents
from groundswell.cases.models import AuditEntry, Case, Document
from tests.conftest import login

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\nmedical record of the client"


@pytest.fixture(autouse=True)
def private_root(settings: Any, tmp_path: Path) -> Path:
    settings.PRIVATE_ROOT = tmp_path
    return tmp_path


def _upload(client: Client, case: Case, content: bytes, name: str = "record.pdf") -> Any:
    return client.post(
        f"/manage/action-now/cases/{case.pk}/documents/",
        {"file": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )


def test_a_document_is_stored_encrypted_and_served_to_the_advocate(
    case: Case, advocate: User, private_root: Path
) -> None:
    client = login(Client(), advocate)
    assert _upload(client, case, PDF, "Hospital record.pdf").status_code == 303
    document = Document.objects.get()
    stored = private_root / "cases" / document.stored_as
    assert b"medical record" not in stored.read_bytes()
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert "Hospital" not in document.name
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Hospital record.pdf" in page
    served = client.get(f"/manage/action-now/cases/{case.pk}/documents/{document.pk}/")
    assert served.status_code == 200 and served.content == PDF
    assert served["Content-Type"] == "application/pdf"
    assert served["Content-Disposition"].startswith("attachment;")
    assert AuditEntry.objects.filter(case_id=case.pk, action="document_read").count() == 1


def test_nobody_else_gets_the_document(
    case: Case, advocate: User, organizer: User, outsider: User
) -> None:
    _upload(login(Client(), advocate), case, PDF)
    document = Document.objects.get()
    path = f"/manage/action-now/cases/{case.pk}/documents/{document.pk}/"
    assert login(Client(), organizer).get(path).status_code == 404
    assert login(Client(), outsider).get(path).status_code == 403
    assert Client().get(path).status_code == 302  # to the login page


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"MZ\x90\x00 an executable", "must be a PDF, JPEG or PNG"),
        (b"", "empty"),
    ],
)
def test_a_wrong_file_is_refused_and_nothing_is_kept(
    case: Case, advocate: User, private_root: Path, content: bytes, message: str
) -> None:
    response = _upload(login(Client(), advocate), case, content, "record.pdf")
    assert response.status_code == 400 and message in response.content.decode()
    assert not Document.objects.exists()
    assert not [path for path in private_root.rglob("*") if path.is_file()]


def test_a_file_too_big_is_refused(case: Case, advocate: User, settings: Any) -> None:
    settings.CASES_DOCUMENT_MAX_MB = 1
    response = _upload(login(Client(), advocate), case, PDF + b"0" * (1024 * 1024))
    assert response.status_code == 400 and "at most" in response.content.decode()
    assert not Document.objects.exists()


def test_deleting_the_case_deletes_its_files(
    case: Case,
    advocate: User,
    manager: User,
    private_root: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _upload(login(Client(), advocate), case, PDF)
    stored = private_root / "cases" / Document.objects.get().stored_as
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        actions.delete_case(case, by=manager)
    assert not stored.exists()
    assert documents.max_bytes() > 0
