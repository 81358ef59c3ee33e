"""Mapping a file's columns to fields, consent and tags, and the preview before importing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization
from groundswell.people.models import ImportJob, ImportMapping, Supporter
from tests.conftest import login
from tests.people.importing import ANA, HEADER, base, import_csv, map_columns, uploaded

pytestmark = pytest.mark.django_db


def initial_mapping(client: Client, job: ImportJob) -> list[str]:
    form = client.get(f"{base(job.organization)}{job.pk}/map/").context["form"]
    return [form[f"column_{i}"].value() for i in range(len(job.headers))]


def test_it_guesses_english_and_spanish_headers(
    client: Client, organizer: User, action_now: Organization
) -> None:
    login(client, organizer)
    header = "Nombre,Apellido,Correo electrónico,Teléfono,Código postal,E-mail 2,Zip,Notas\n"
    job = uploaded(client, action_now, (header + "Ana,Reyes,ana@example.org,,,,,\n").encode())
    assert initial_mapping(client, job) == [
        "first_name",
        "last_name",
        "email",
        "phone",
        "zip_code",
        "skip",
        "zip_code",
        "skip",
    ]


def test_it_remembers_the_organizations_choices(
    client: Client, organizer: User, action_now: Organization, drain: Any
) -> None:
    login(client, organizer)
    content = "Mobile #,Ward,Email\n312-555-0101,25,ana@example.org\n"
    import_csv(client, action_now, content, drain, mapping={0: "phone", 1: "custom", 2: "email"})
    assert ImportMapping.objects.get(organization=action_now, header="mobile").field == "phone"
    again = uploaded(client, action_now, b"mobile # ,WARD,Email\n312-555-0102,26,b@example.org\n")
    assert initial_mapping(client, again) == ["phone", "custom", "email"]


def test_the_mapping_needs_an_email_or_phone_column(
    client: Client, organizer: User, action_now: Organization
) -> None:
    login(client, organizer)
    job = uploaded(client, action_now, (HEADER + ANA).encode())
    response = map_columns(
        client,
        job,
        {0: "first_name", 1: "last_name", 2: "skip", 3: "skip", 4: "zip_code", 5: "tags"},
    )
    assert response.status_code == 400
    assert "email addresses or the one with phone numbers" in response.content.decode()
    job.refresh_from_db()
    assert job.mapping == {}


def test_one_field_takes_one_column(
    client: Client, organizer: User, action_now: Organization
) -> None:
    login(client, organizer)
    job = uploaded(client, action_now, (HEADER + ANA).encode())
    response = map_columns(client, job, {0: "first_name", 1: "first_name", 2: "email"})
    assert response.status_code == 400
    assert "Only one column can be imported as First name" in response.content.decode()


def test_email_consent_needs_how_it_was_given(
    client: Client, organizer: User, action_now: Organization
) -> None:
    login(client, organizer)
    job = uploaded(client, action_now, (HEADER + ANA).encode())
    response = map_columns(client, job, consent_basis="email", consent_note="  ")
    assert response.status_code == 400
    assert "Say how and when they agreed" in response.content.decode()
    response = map_columns(
        client,
        job,
        {0: "first_name", 3: "phone"},
        consent_basis="email",
        consent_note="Sign-up sheet",
    )
    assert "needs a column of email addresses" in response.content.decode()


def test_the_preview_shows_rows_as_imported_with_their_problems(
    client: Client, organizer: User, action_now: Organization
) -> None:
    login(client, organizer)
    content = (
        "First name,Email,Phone,ZIP,Language\n"
        "Ana,ana@example.org,(312) 555-0101,60608,Spanish\n"
        "Bo,bo@,12,6060,xx\n"
        "Cy,,,60608 1234,es_MX\n"
        f"{'D' * 101},d@example.org,,,\n"
    )
    job = uploaded(client, action_now, content.encode())
    assert map_columns(client, job).status_code == 303
    response = client.get(f"{base(action_now)}{job.pk}/preview/")
    page = response.content.decode()
    assert response.context["total"] == 4
    assert response.context["failing"] == 3
    assert "+13125550101" in page and ">es<" in page
    assert "Email: not a valid email address." in page
    assert "Phone: not a possible phone number." in page
    assert "ZIP code: should be 5 or 9 digits." in page
    assert "unknown language “xx”" in page
    assert "No email address and no phone number" in page
    assert "First name: longer than 100 characters." in page
    assert not Supporter.objects.exists()  # nothing is imported before confirming


def test_custom_fields_and_tags_are_imported(
    client: Client, organizer: User, action_now: Organization, drain: Any
) -> None:
    login(client, organizer)
    content = 'Email,Ward,Tags\nana@example.org,25,"volunteer, Captain"\n'
    import_csv(
        client,
        action_now,
        content,
        drain,
        mapping={0: "email", 1: "custom", 2: "tags"},
        tags="May Day 2025",
    )
    supporter = Supporter.objects.get(organization=action_now)
    assert supporter.custom_fields == {"Ward": "25"}
    names = sorted(t.tag.name for t in supporter.person.taggings.select_related("tag"))
    assert names == ["Captain", "May Day 2025", "volunteer"]


def test_a_started_import_cannot_be_remapped(
    client: Client, organizer: User, action_now: Organization, drain: Any
) -> None:
    login(client, organizer)
    job = import_csv(client, action_now, HEADER + ANA, drain)
    response = map_columns(client, job, {0: "skip", 2: "email"})
    assert response.status_code == 303
    job.refresh_from_db()
    assert job.mapping["0"] == "first_name"
    assert client.post(f"{base(action_now)}{job.pk}/preview/").status_code == 303
    assert job.created_count == 1
