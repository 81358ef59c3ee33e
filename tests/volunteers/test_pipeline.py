"""The follow-up pipeline at /manage/<org>/volunteers/: list, filters, stage moves with
history, assignment, notes; only the organization's own organizers, only its volunteers."""

from __future__ import annotations

import pytest
from django.test import Client

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization
from groundswell.people.models import AuditEvent
from groundswell.volunteers import actions
from groundswell.volunteers.models import Interest, PipelineChange, Stage, Volunteer
from tests.conftest import login
from tests.volunteers.conftest import sign_up, volunteer

pytestmark = pytest.mark.django_db


def test_the_pipeline_lists_confirmed_volunteers_only(
    client: Client, action_now: Organization, organizer: User
) -> None:
    volunteer(action_now)
    sign_up(Client(), action_now, email="typed.by.someone@example.org", first_name="Zed")
    page = login(client, organizer).get("/manage/action-now/volunteers/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Ana Reyes" in html
    assert "Zed" not in html and "typed.by.someone" not in html
    assert "1 more sign-up is waiting for its email address to be confirmed." in html


def test_filters_by_stage_interest_assignee_and_ward(
    client: Client,
    action_now: Organization,
    organizer: User,
    owner: User,
    interests: list[Interest],
) -> None:
    ana = volunteer(action_now, interests=[str(interests[0].pk)], ward="25")
    bo = volunteer(
        action_now,
        email="bo@example.org",
        first_name="Bo",
        ward="3",
        interests=[str(interests[1].pk)],
    )
    actions.move_stage(bo, Stage.CONTACTED, by=organizer)
    actions.assign(ana, organizer, by=owner)
    login(client, organizer)

    def names(query: str) -> set[str]:
        page = client.get(f"/manage/action-now/volunteers/?{query}")
        assert page.status_code == 200
        return {v.first_name for v in page.context["page"].object_list}

    assert names("") == {"Ana", "Bo"}
    assert names("stage=contacted") == {"Bo"}
    assert names(f"interest={interests[0].pk}") == {"Ana"}
    assert names(f"assignee={organizer.pk}") == {"Ana"}
    assert names("assignee=none") == {"Bo"}
    assert names("ward=25") == {"Ana"}
    assert names("ward=99&stage=bogus") == {"Ana", "Bo"}  # a bad filter narrows nothing


def test_moving_a_stage_records_who_when_and_why(
    client: Client, action_now: Organization, organizer: User
) -> None:
    record = volunteer(action_now)
    login(client, organizer)
    url = f"/manage/action-now/volunteers/{record.pk}/stage/"
    response = client.post(url, {"stage-stage": "contacted", "stage-note": "Left a voicemail"})
    assert response.status_code == 303
    record.refresh_from_db()
    assert record.stage == Stage.CONTACTED
    change = record.changes.get(kind=PipelineChange.Kind.STAGE)
    assert (change.from_stage, change.to_stage, change.by) == ("new", "contacted", organizer)
    assert change.note == "Left a voicemail"
    page = client.get(f"/manage/action-now/volunteers/{record.pk}/").content.decode()
    assert "Left a voicemail" in page and "New → Contacted" in page


def test_a_bad_stage_is_refused(client: Client, action_now: Organization, organizer: User) -> None:
    record = volunteer(action_now)
    login(client, organizer)
    url = f"/manage/action-now/volunteers/{record.pk}/stage/"
    response = client.post(url, {"stage-stage": "hired"})
    assert response.status_code == 400
    assert "Nothing was saved" in response.content.decode()
    record.refresh_from_db()
    assert record.stage == Stage.NEW


def test_assigning_only_to_the_organizations_staff(
    client: Client, action_now: Organization, organizer: User, owner: User, outsider: User
) -> None:
    record = volunteer(action_now)
    login(client, owner)
    url = f"/manage/action-now/volunteers/{record.pk}/assign/"
    assert client.post(url, {"assign-assignee": outsider.pk}).status_code == 400
    record.refresh_from_db()
    assert record.assignee is None
    assert client.post(url, {"assign-assignee": organizer.pk}).status_code == 303
    record.refresh_from_db()
    assert record.assignee == organizer
    assert record.changes.filter(kind=PipelineChange.Kind.ASSIGNED, by=owner).exists()
    assert client.post(url, {"assign-assignee": ""}).status_code == 303
    record.refresh_from_db()
    assert record.assignee is None
    with pytest.raises(ValueError):
        actions.assign(record, outsider, by=owner)


def test_notes_are_kept_in_the_history(
    client: Client, action_now: Organization, organizer: User
) -> None:
    record = volunteer(action_now)
    login(client, organizer)
    url = f"/manage/action-now/volunteers/{record.pk}/notes/"
    assert client.post(url, {"note-note": "   "}).status_code == 400
    assert client.post(url, {"note-note": "Can drive to Stateville"}).status_code == 303
    assert record.changes.get(kind=PipelineChange.Kind.NOTE).note == "Can drive to Stateville"


def test_viewing_a_volunteer_is_in_the_audit_log(
    client: Client, action_now: Organization, organizer: User
) -> None:
    record = volunteer(action_now)
    login(client, organizer).get(f"/manage/action-now/volunteers/{record.pk}/")
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEWED)
    assert event.person == record.person and event.user == organizer


def test_visitors_are_sent_to_log_in(client: Client, action_now: Organization) -> None:
    response = client.get("/manage/action-now/volunteers/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_other_organizations_staff_are_refused(
    client: Client, action_now: Organization, outsider: User
) -> None:
    record = volunteer(action_now)
    login(client, outsider)
    assert client.get("/manage/action-now/volunteers/").status_code == 403
    assert client.get(f"/manage/action-now/volunteers/{record.pk}/").status_code == 403
    url = f"/manage/action-now/volunteers/{record.pk}/stage/"
    assert client.post(url, {"stage-stage": "active"}).status_code == 403
    record.refresh_from_db()
    assert record.stage == Stage.NEW


def test_no_volunteer_leaks_across_organizations(
    client: Client, action_now: Organization, other_org: Organization, outsider: User
) -> None:
    ours = volunteer(action_now)
    theirs = volunteer(other_org, email="bo@example.org", first_name="Bo")
    login(client, outsider)
    page = client.get("/manage/elsewhere/volunteers/").content.decode()
    assert "Bo" in page and "Ana Reyes" not in page
    # Action Now's volunteer through Elsewhere's URLs: not found, nothing changed.
    assert client.get(f"/manage/elsewhere/volunteers/{ours.pk}/").status_code == 404
    url = f"/manage/elsewhere/volunteers/{ours.pk}/stage/"
    assert client.post(url, {"stage-stage": "active"}).status_code == 404
    url = f"/manage/elsewhere/volunteers/{ours.pk}/notes/"
    assert client.post(url, {"note-note": "x"}).status_code == 404
    assert Volunteer.objects.get(pk=ours.pk).stage == Stage.NEW
    assert theirs.organization == other_org
    interest = actions.add_interest(action_now, "Rallies")
    url = f"/manage/elsewhere/volunteers/form/interests/{interest.pk}/remove/"
    assert client.post(url).status_code == 404


def test_the_same_person_volunteering_for_two_organizations_is_two_records(
    action_now: Organization, other_org: Organization
) -> None:
    ours = volunteer(action_now)
    theirs = volunteer(other_org)
    assert ours.pk != theirs.pk and ours.person == theirs.person
    actions.move_stage(theirs, Stage.ACTIVE, by=None)
    ours.refresh_from_db()
    assert ours.stage == Stage.NEW
