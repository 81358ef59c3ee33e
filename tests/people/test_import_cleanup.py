"""What imports leave behind is not kept for ever, and goes with an erased person."""

from __future__ import annotations

import datetime
import os
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization
from groundswell.people import actions, import_cleanup, rights
from groundswell.people.models import Erasure, ImportJob, ImportRowError
from tests.conftest import login
from tests.people.importing import HEADER, import_csv, uploaded

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
