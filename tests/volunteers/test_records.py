"""Volunteers in a person's record (people.registry): timeline, copy of their data,
erasure everywhere and by one organization."""

from __future__ import annotations

import pytest

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization
from groundswell.people import registry
from groundswell.people.models import Erasure, Person
from groundswell.people.rights import actions as rights
from groundswell.people.timeline import timeline
from groundswell.volunteers import actions
from groundswell.volunteers.models import Signup, Stage, Volunteer
from groundswell.volunteers.records import ACTION_KEY, VolunteerRecords
from tests.volunteers.conftest import volunteer

pytestmark = pytest.mark.django_db


def test_sign_up_and_stage_changes_are_on_the_timeline_of_that_organization_only(
    action_now: Organization, other_org: Organization, organizer: User
) -> None:
    record = volunteer(action_now)
    actions.move_stage(record, Stage.CONTACTED, by=organizer)
    assert record.person is not None
    entries = [(e.kind, e.summary) for e in timeline(record.person, action_now)]
    assert ("volunteer_signup", "") in entries
    assert ("volunteer_stage", "New → Contacted") in entries
    assert not [e for e in timeline(record.person, other_org) if e.kind.startswith("volunteer")]


def test_the_copy_of_their_data_holds_their_sign_ups_and_pipeline_record(
    action_now: Organization,
) -> None:
    record = volunteer(action_now)
    actions.add_note(record, "Prefers mornings", by=None)
    assert record.person is not None
    held = VolunteerRecords().export(record.person)
    assert held["items"][0]["email"] == "ana.reyes@example.org"
    assert held["pipeline"][0]["stage"] == "new"
    assert held["pipeline"][0]["notes"] == ["Prefers mornings"]


def test_erasure_everywhere_removes_the_personal_fields(
    action_now: Organization, other_org: Organization
) -> None:
    record = volunteer(action_now)
    volunteer(other_org)
    actions.add_note(record, "Lives near Pilsen library", by=None)
    assert record.person is not None
    rights.erase(record.person, via=Erasure.Via.SUPPORTER)
    assert not Person.objects.exists()
    for row in [*Volunteer.objects.all(), *Signup.objects.all()]:
        assert (row.first_name, row.email, row.phone, row.neighborhood, row.ward) == (
            "",
            "",
            "",
            "",
            None,
        )
        assert row.erased_at is not None
    assert not Volunteer.objects.of(action_now).exists()
    assert not record.changes.exclude(note="").exists()


def test_an_organization_forgetting_them_leaves_other_organizations_records(
    action_now: Organization, other_org: Organization, owner: User
) -> None:
    ours = volunteer(action_now)
    theirs = volunteer(other_org)
    assert ours.person is not None
    rights.erase_from_organization(ours.person, action_now, by=owner)
    assert not Volunteer.objects.of(action_now).exists()
    theirs.refresh_from_db()
    assert theirs.email == "ana.reyes@example.org" and theirs.person is not None


def test_supporters_can_be_filtered_by_having_volunteered(
    action_now: Organization, other_org: Organization
) -> None:
    record = volunteer(action_now)
    volunteer(other_org, email="bo@example.org")
    assert (ACTION_KEY, "Signed up to volunteer") in registry.action_choices(action_now)
    ids = registry.people_who(ACTION_KEY, action_now)
    assert ids is not None
    assert list(Person.objects.filter(pk__in=ids)) == [record.person]
