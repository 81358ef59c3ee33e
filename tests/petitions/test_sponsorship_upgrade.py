"""Upgrading an installation to invitations keeps every co-sponsorship and coalition
membership it had: they were made before organizations were asked, and stay accepted."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from groundswell.organizations.models import Organization
from groundswell.petitions.models import Petition

BEFORE = [
    ("organizations", "0005_email_tasks_to_outbox"),
    ("petitions", "0007_email_tasks_to_outbox"),
]
AFTER = [("organizations", "0006_coalition_invitations"), ("petitions", "0008_sponsor_invitations")]


@pytest.mark.django_db(transaction=True)
def test_existing_co_sponsors_and_coalition_members_stay_after_the_upgrade() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    organization = old.get_model("organizations", "Organization")
    action_now = organization.objects.create(name="Action Now", slug="action-now")
    ocad = organization.objects.create(name="OCAD", slug="ocad")
    coalition = organization.objects.create(name="Sanctuary", slug="sanctuary", is_coalition=True)
    old.get_model("organizations", "CoalitionMember").objects.create(
        coalition=coalition, organization=ocad
    )
    petition = old.get_model("petitions", "Petition").objects.create(
        owner=action_now, slug="defend-chicago", title="Defend Chicago", ask="Pass it."
    )
    petition.sponsors.add(ocad)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    ocad_now = Organization.objects.get(slug="ocad")
    assert Petition.objects.get(slug="defend-chicago").organizations[1] == ocad_now
    assert list(Organization.objects.get(slug="sanctuary").members.all()) == [ocad_now]
    assert set(AFTER) <= MigrationRecorder(connection).applied_migrations().keys()
