"""Files that once imported wrongly without a word (a second review): too many columns,
a quotation mark never closed, one line in another encoding. Each is now refused at
upload or reported row by row, and nothing is imported mangled."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization
from groundswell.people.imports import parsing
from groundswell.people.models import ImportJob, ImportRowError, Supporter
from tests.conftest import login
from tests.people.importing import import_csv, upload

pytestmark = pytest.mark.django_db

HEADER = "First name,Last name,Email\n"


def test_a_file_with_too_many_columns_is_refused_at_upload(
    client: Client, organizer: User, action_now: Organization, settings: Any
) -> None:
    """997 columns once passed the upload, then every mapping POST answered a bare 400;
    a million answered 500."""
    login(client, organizer)
    for width in (settings.IMPORT_MAX_COLUMNS + 1, 997, 100_000):
        header = ",".join(f"c{i}" for i in range(width)) + "\n"
        row = ",".join(["a@example.org"] + [""] * (width - 1)) + "\n"
        response = upload(client, action_now, (header + row).encode())
        assert response.status_code == 400, width  # the upload page again, with the reason
        page = response.content.decode()
        assert f"at most {settings.IMPORT_MAX_COLUMNS} can be imported" in page
    assert not ImportJob.objects.filter(organization=action_now).exists()


def test_a_quotation_mark_never_closed_is_reported_not_imported(
    client: Client, organizer: User, action_now: Organization, drain: Any
) -> None:
    """It once swallowed the next rows into one name: 'Ann q2@example.org,Bob …'."""
    login(client, organizer)
    content = (
        HEADER
        + "Zoe,Park,zoe@example.org\n"
        + 'Ann,"Lee,q1@example.org\n'
        + "Bob,Diaz,q2@example.org\n"
        + "Cy,Moss,q3@example.org\n"
    )
    job = import_csv(client, action_now, content, drain)
    assert (job.created_count, job.failed_count) == (1, 1)
    error = ImportRowError.objects.get(job=job)
    assert error.row_number == 3
    assert "A quotation mark in this row is never closed" in error.reason
    assert "2 following lines" in error.reason
    assert list(Supporter.objects.values_list("email", flat=True)) == ["zoe@example.org"]


def test_an_address_on_two_lines_is_still_one_cell(
    client: Client, organizer: User, action_now: Organization, drain: Any
) -> None:
    login(client, organizer)
    content = 'First name,Email,Street address\nAna,ana@example.org,"1 Main St\nApt 2"\n'
    job = import_csv(client, action_now, content, drain)
    assert (job.created_count, job.failed_count) == (1, 0)


def test_one_line_in_another_encoding_does_not_mangle_the_file(
    client: Client, organizer: User, action_now: Organization, drain: Any
) -> None:
    """One Windows-1252 line once made the whole UTF-8 file read as Latin-1: "Ána"
    became "Ã\\x81na"."""
    login(client, organizer)
    content = (
        HEADER.encode()
        + "Ána,Peña,ana@example.org\n".encode()
        + "José,Núñez,jose@example.org\n".encode("cp1252")
        + "Luis,Gómez,luis@example.org\n".encode()
    )
    job = import_csv(client, action_now, content, drain)
    assert job.encoding == parsing.MIXED_UTF8
    assert (job.created_count, job.failed_count) == (2, 1)
    names = sorted(Supporter.objects.values_list("first_name", "last_name"))
    assert names == [("Luis", "Gómez"), ("Ána", "Peña")]
    error = ImportRowError.objects.get(job=job)
    assert error.row_number == 3 and "not written in UTF-8" in error.reason


def test_a_windows_file_is_still_read_as_windows_1252(
    client: Client, organizer: User, action_now: Organization, drain: Any
) -> None:
    login(client, organizer)
    content = (HEADER + "José,Núñez,jose@example.org\n").encode("cp1252")
    job = import_csv(client, action_now, content, drain)
    assert job.encoding == "cp1252" and job.created_count == 1
    assert Supporter.objects.get().last_name == "Núñez"
