"""The demo's volunteers: the Chicago Alliance's form (seed 002), safe to load again."""

from __future__ import annotations

import pytest

from groundswell.accounts.models import User
from groundswell.core import worker
from groundswell.front.management.commands.load_demo import load_volunteers
from groundswell.organizations.models import Organization, Role
from groundswell.volunteers.models import Interest, Stage, Volunteer
from tests.conftest import make_organizer
from tests.smtp import Mailbox

pytestmark = pytest.mark.django_db


def test_the_alliance_gets_its_form_interests_and_a_pipeline_once(mailbox: Mailbox) -> None:
    alliance = Organization.objects.create(
        name="Chicago Alliance Against Racist and Political Repression", slug="chicago-alliance"
    )
    owner: User = make_organizer("frank@chicago-alliance.example", alliance, Role.OWNER)
    load_volunteers(alliance, owner)
    load_volunteers(alliance, owner)
    names = list(Interest.objects.filter(organization=alliance).values_list("name", flat=True))
    assert "Rallies and demonstrations" in names and "Speaking at union halls" in names
    assert Volunteer.objects.of(alliance).count() == 5
    stages = set(Volunteer.objects.of(alliance).values_list("stage", flat=True))
    assert stages == {Stage.NEW, Stage.CONTACTED, Stage.ACTIVE, Stage.INACTIVE}
    worker.drain(periodic=False)
    assert not [m for m in mailbox.messages if "volunteers.example" in str(m["To"])]
