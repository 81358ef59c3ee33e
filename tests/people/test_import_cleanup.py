"""What imports leave behind is not kept for ever, and goes with an erased person:
failed rows and files of finished, failed and abandoned imports alike."""

from __future__ import annotations

import datetime
import os
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization, Role
from groundswell.people import actions
from groundswell.people.imports import actions as import_actions
from groundswell.people.imports import cleanup as import_cleanup
from groundswell.people.models import Erasure, ImportJob, ImportRowError
from groundswell.people.rights import actions as rights
from tests.conftest import login, make_organizer
from tests.people.importing import HEADER, base, import_csv, map_columns, uploaded

pytestmark = pytest.mark.django_db

BAD_ZIP = "Ana,Reyes,ana@example.org,,6060,\n"  # a 4-digit ZIP fails the row
BAD_PHONE_ONLY = "Luis,Peña,,(312) 555-0199,6060,\n"


def test_erasing_a_person_deletes_their_failed_import_rows_and_nobody_elses(
    client: Client, organizer: User, action_now: Organization, drain: Any
) -> None:
    other = "Rosa,Díaz,rosa@example.org,,1,\n"
    job = import_csv(
        login(client, organizer), action_now, HEADER + BAD_ZIP + BAD_PHONE_ONLY + other, drain
    )
    assert job.errors.count() == 3
    ana = actions.record_person(email="Ana@Example.org")
    luis = actions.record_person(phone="312-555-0199")
    erasure = rights.erase(ana, via=Erasure.Via.SUPPORTER)
    assert erasure.records["failed_import_rows"] == 1
    rights.erase(luis, via=Erasure.Via.SUPPORTER)
    remaining = [row.values[2] for row in ImportRowError.objects.all()]
    assert remaining == ["rosa@example.org"]


def test_failed_rows_and_abandoned_uploads_are_pruned_after_the_retention(
    client: Client, organizer: User, action_now: Organization, drain: Any, settings: Any
) -> None:
    settings.IMPORT_RETENTION_DAYS = 30
    login(client, organizer)
    finished = import_csv(client, action_now, HEADER + BAD_ZIP, drain)
    abandoned = uploaded(client, action_now, (HEADER + BAD_ZIP).encode())
    path = abandoned.file.path
    later = timezone.now() + datetime.timedelta(days=29)
    assert import_cleanup.prune(later) == 0
    much_later = timezone.now() + datetime.timedelta(days=31)
    assert import_cleanup.prune(much_later) == 2
    assert not ImportRowError.objects.exists()
    assert list(ImportJob.objects.all()) == [finished]
    assert not os.path.exists(path)


def failed_import(client: Client, organization: Organization, monkeypatch: Any) -> ImportJob:
    """An import whose worker crashes on its first batch."""
    job = uploaded(client, organization, (HEADER + BAD_ZIP).encode())
    assert map_columns(client, job).status_code == 303
    assert client.post(f"{base(organization)}{job.pk}/preview/").status_code == 303

    def crash(*args: Any, **kwargs: Any) -> bool:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(import_actions.BatchWriter, "commit", crash)
    with pytest.raises(RuntimeError):
        import_actions.run_import(job.pk, 0)
    job.refresh_from_db()
    return job


def test_a_failed_import_says_when_it_ended(
    client: Client, organizer: User, action_now: Organization, monkeypatch: Any
) -> None:
    job = failed_import(login(client, organizer), action_now, monkeypatch)
    assert job.status == ImportJob.Status.FAILED
    assert job.finished_at is not None
    assert import_actions.can_resume(job)  # within the retention it can still be resumed


def test_a_failed_imports_file_and_rows_are_pruned_after_the_retention(
    client: Client, organizer: User, action_now: Organization, monkeypatch: Any, settings: Any
) -> None:
    settings.IMPORT_RETENTION_DAYS = 30
    job = failed_import(login(client, organizer), action_now, monkeypatch)
    ImportRowError.objects.create(job=job, row_number=2, reason="bad ZIP", values=["Ana"])
    path = job.file.path
    assert os.path.exists(path)
    assert import_cleanup.prune(timezone.now() + datetime.timedelta(days=29)) == 0
    assert os.path.exists(path)
    assert import_cleanup.prune(timezone.now() + datetime.timedelta(days=31)) == 2
    assert not os.path.exists(path)
    assert not ImportRowError.objects.exists()
    job.refresh_from_db()
    assert not job.file and job.status == ImportJob.Status.FAILED  # the record stays
    assert not import_actions.can_resume(job)


def test_a_failed_import_from_before_failures_were_dated_is_pruned_too(
    client: Client, organizer: User, action_now: Organization, monkeypatch: Any, settings: Any
) -> None:
    settings.IMPORT_RETENTION_DAYS = 30
    job = failed_import(login(client, organizer), action_now, monkeypatch)
    ImportJob.objects.filter(pk=job.pk).update(finished_at=None)  # as older failures were
    assert import_cleanup.prune(timezone.now() + datetime.timedelta(days=31)) == 1
    assert not os.path.exists(job.file.path)


def test_erasing_from_an_organization_deletes_only_its_own_failed_rows(
    client: Client,
    organizer: User,
    owner: User,
    action_now: Organization,
    other_org: Organization,
    drain: Any,
) -> None:
    import_csv(login(client, organizer), action_now, HEADER + BAD_ZIP, drain)
    elsewhere = make_organizer("b@elsewhere.example", other_org, Role.ORGANIZER)
    import_csv(login(Client(), elsewhere), other_org, HEADER + BAD_ZIP, drain)
    ana = actions.record_person(email="ana@example.org")
    actions.link(ana, action_now, source="petition:x")
    erasure = rights.erase_from_organization(ana, action_now, by=owner)
    assert erasure.records["failed_import_rows"] == 1
    assert [row.job.organization for row in ImportRowError.objects.all()] == [other_org]
