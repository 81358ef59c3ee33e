"""Steps of a CSV import as an organizer takes them, for the import tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from groundswell.organizations.models import Organization
from groundswell.people.imports import parsing as imports
from groundswell.people.models import ImportJob

HEADER = "First name,Last name,Email,Phone,ZIP,Tags\n"
ANA = "Ana,Reyes,ana@example.org,(312) 555-0101,60608,volunteer\n"
LUIS = "Luis,Peña,luis@example.org,,60609,\n"


def base(organization: Organization) -> str:
    return f"/manage/{organization.slug}/people/imports/"


def upload(
    client: Client, organization: Organization, content: bytes, name: str = "people.csv"
) -> Any:
    return client.post(
        f"{base(organization)}new/", {"file": SimpleUploadedFile(name, content, "text/csv")}
    )


def uploaded(
    client: Client, organization: Organization, content: bytes, name: str = "people.csv"
) -> ImportJob:
    response = upload(client, organization, content, name)
    assert response.status_code == 303, response.content.decode()[:2000]
    return ImportJob.objects.filter(organization=organization).latest("pk")


def map_columns(
    client: Client,
    job: ImportJob,
    mapping: dict[int, str] | None = None,
    *,
    consent_basis: str = "none",
    consent_note: str = "",
    tags: str = "",
) -> Any:
    mapping = mapping or {i: imports.guess_field(h) for i, h in enumerate(job.headers)}
    data = {f"column_{i}": f for i, f in mapping.items()}
    data.update(consent_basis=consent_basis, consent_note=consent_note, tags=tags)
    return client.post(f"{base(job.organization)}{job.pk}/map/", data)


def import_csv(
    client: Client,
    organization: Organization,
    content: str | bytes,
    drain: Callable[..., int],
    **options: Any,
) -> ImportJob:
    """Upload, map (guessed columns unless given), confirm, and run the worker."""
    mapping = options.pop("mapping", None)
    raw = content.encode() if isinstance(content, str) else content
    job = uploaded(client, organization, raw, options.pop("name", "people.csv"))
    response = map_columns(client, job, mapping, **options)
    assert response.status_code == 303, response.content.decode()[:3000]
    response = client.post(f"{base(organization)}{job.pk}/preview/")
    assert response.status_code == 303
    drain(periodic=False)
    job.refresh_from_db()
    return job
