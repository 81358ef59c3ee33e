"""Uploading a CSV file to import: encodings, delimiters, and files refused with a reason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization
from groundswell.people.models import ImportJob, Supporter
from tests.conftest import login
from tests.people.importing import ANA, HEADER, LUIS, base, import_csv, upload, uploaded

pytestmark = pytest.mark.django_db


def stored_files() -> set[Path]:
    root = Path(settings.PRIVATE_ROOT) / "imports"
    return set(root.glob("*")) if root.exists() else set()


def refused(response: Any) -> str:
    assert response.status_code in (400, 413), response.status_code
    return response.content.decode()


@pytest.mark.parametrize(
    ("encoding", "label"),
    [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8 (BOM)"), ("utf-16", "UTF-16")],
)
def test_it_reads_unicode_files_and_says_which_encoding(
    client: Client, organizer: User, action_now: Organization, encoding: str, label: str
) -> None:
    login(client, organizer)
    job = uploaded(client, action_now, (HEADER + ANA + LUIS).encode(encoding))
    assert job.encoding == encoding
    assert job.headers[0] == "First name"  # no byte order mark left in the header
    assert job.rows_total == 2
    page = client.get(f"{base(action_now)}{job.pk}/map/").content.decode()
    assert f"Read as {label}" in page


def test_a_latin_1_file_keeps_its_accents(
    client: Client, organizer: User, action_now: Organization, drain: Any
) -> None:
    login(client, organizer)
    job = import_csv(client, action_now, (HEADER + LUIS).encode("cp1252"), drain)
    assert job.encoding == "cp1252"
    assert Supporter.objects.get(organization=action_now).last_name == "Peña"


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_it_finds_the_delimiter(
    client: Client, organizer: User, action_now: Organization, delimiter: str
) -> None:
    login(client, organizer)
    text = 'Nombre,Correo electrónico,Dirección\nAna,ana@example.org,"1 Main St, Apt 2"\n'
    if delimiter != ",":
        text = "Nombre{d}Correo electrónico{d}Dirección\nAna{d}ana@example.org{d}1 Main St, Apt 2\n"
        text = text.format(d=delimiter)
    job = uploaded(client, action_now, text.encode())
    assert job.delimiter == delimiter
    assert job.headers == ["Nombre", "Correo electrónico", "Dirección"]


def test_it_refuses_a_file_without_a_header_row(
    client: Client, organizer: User, action_now: Organization
) -> None:
    login(client, organizer)
    page = refused(upload(client, action_now, (ANA + LUIS).encode()))
    assert "looks like a person" in page
    assert "Add a header row" in page
    assert not ImportJob.objects.exists()


def test_it_refuses_duplicate_column_names(
    client: Client, organizer: User, action_now: Organization
) -> None:
    login(client, organizer)
    page = refused(upload(client, action_now, b"Email,Name,EMAIL \nana@example.org,Ana,x\n"))
    assert "Two columns have the same name" in page
    assert "columns 1 and 3" in page
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\xef\xbb\xbf\r\n", "The file is empty."),
        (b"First name,Email\n", "no rows of people"),
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(200), "spreadsheet workbook"),
        (b"\x89PNG\r\n\x1a\n" + bytes(200), "not a CSV file"),
        (b"Email,Name\n" + bytes(range(256)) * 4, "not a CSV file"),
        (b"Email,Notes\na@example.org,ok\nb@example.org," + b"x" * 140_000 + b"\n", "Row 3"),
    ],
)
def test_it_refuses_files_it_cannot_read(
    client: Client, organizer: User, action_now: Organization, content: bytes, message: str
) -> None:
    login(client, organizer)
    before = stored_files()
    page = refused(upload(client, action_now, content))
    assert message in page
    assert not ImportJob.objects.exists()
    assert stored_files() == before


def test_an_oversized_upload_is_refused_before_it_is_read(
    client: Client, organizer: User, action_now: Organization, settings: Any
) -> None:
    settings.IMPORT_MAX_MB = 1
    login(client, organizer)
    before = stored_files()
    response = client.post(
        f"{base(action_now)}new/", {"file": ""}, CONTENT_LENGTH=str(200 * 1024 * 1024)
    )
    assert response.status_code == 413
    assert "larger than 1 MB" in response.content.decode()
    assert not ImportJob.objects.exists()
    assert stored_files() == before


def test_a_real_file_over_the_limit_is_refused(
    client: Client, organizer: User, action_now: Organization, settings: Any
) -> None:
    settings.IMPORT_MAX_MB = 1
    login(client, organizer)
    content = (HEADER + ANA * 30_000).encode()
    assert len(content) > 1024 * 1024
    response = upload(client, action_now, content)
    assert response.status_code == 413
    assert "larger than 1 MB" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_upload_handler_stops_a_file_just_over_the_limit(
    client: Client, organizer: User, action_now: Organization, settings: Any
) -> None:
    """Content-Length allows for the form around the file; the handler counts the
    file's own bytes."""
    settings.IMPORT_MAX_MB = 1
    login(client, organizer)
    content = (HEADER + "x" * (1024 * 1024 + 20_000)).encode()
    response = upload(client, action_now, content)
    assert response.status_code == 413
    assert "larger than 1 MB" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_anyone_not_signed_in_is_sent_to_log_in(client: Client, action_now: Organization) -> None:
    response = client.get(f"{base(action_now)}new/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_outsider_gets_403(client: Client, outsider: User, action_now: Organization) -> None:
    login(client, outsider)
    assert client.get(base(action_now)).status_code == 403
    assert client.get(f"{base(action_now)}new/").status_code == 403
    assert upload(client, action_now, (HEADER + ANA).encode()).status_code == 403
    assert not ImportJob.objects.exists()


def test_every_organizer_role_may_import(
    client: Client, owner: User, organizer: User, action_now: Organization
) -> None:
    for user in (owner, organizer):
        login(client, user)
        uploaded(client, action_now, (HEADER + ANA).encode())
    assert ImportJob.objects.filter(organization=action_now).count() == 2


def test_another_organizations_import_is_not_found(
    client: Client,
    organizer: User,
    outsider: User,
    action_now: Organization,
    other_org: Organization,
) -> None:
    login(client, outsider)
    theirs = uploaded(client, other_org, (HEADER + ANA).encode())
    login(client, organizer)
    for path in ["", "map/", "preview/", "errors.csv"]:
        assert client.get(f"{base(action_now)}{theirs.pk}/{path}").status_code == 404, path
    assert client.post(f"{base(action_now)}{theirs.pk}/discard/").status_code == 404
    assert ImportJob.objects.filter(pk=theirs.pk).exists()
