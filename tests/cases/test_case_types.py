"""Item by item, what an organization shapes itself: its case types (statuses, kinds of
activity, planned activities), who is on a case, the requester's acknowledgment, and
the support campaign a case is linked to."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from groundswell.accounts.models import User
from groundswell.campaigns.models import Campaign
from groundswell.cases import actions, case_types
from groundswell.cases.models import (
    Activity,
    AuditEntry,
    Case,
    CaseRole,
    CaseStatus,
    CaseType,
    PlannedActivity,
)
from groundswell.organizations.models import Organization
from tests.cases.conftest import request_token
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _type_data(**changes: str) -> dict[str, str]:
    return {
        "name": "Parole hearing",
        "statuses": "New\nPreparing letters\nHeard\nClosed",
        "activity_types": "Letter\nVisit",
        "planned": "-14 days: Gather support letters\n2 hours: Call the family\n30 días: Follow up",
        **changes,
    }


def test_a_case_manager_adds_a_case_type_whose_cases_follow_it(
    client: Client, action_now: Organization, types: dict[str, CaseType], manager: User
) -> None:
    login(client, manager)
    assert client.get("/manage/action-now/cases/types/").status_code == 200
    refused = client.post("/manage/action-now/cases/types/new/", _type_data(planned="soon: x"))
    assert refused.status_code == 400 and "is not understood" in refused.content.decode()
    saved = client.post("/manage/action-now/cases/types/new/", _type_data())
    assert saved.status_code == 303
    parole = CaseType.objects.get(name="Parole hearing")
    assert [(s.name, s.closes) for s in parole.statuses.all()][-1] == ("Closed", True)
    assert sorted(PlannedActivity.objects.filter(case_type=parole).values_list("offset_hours")) == [
        (-336,),
        (2,),
        (720,),
    ]
    case = actions.open_case(action_now, case_type=parole, by=manager)
    assert case.activities.count() == 3 and case.status.name == "New"
    letter = parole.activity_types.get(name="Letter")
    added = actions.add_activity(case, "", None, activity_type=letter, by=manager)
    assert added.title == "Letter"
    assert AuditEntry.objects.filter(action="type_saved", detail="Parole hearing").exists()


def test_a_status_in_use_cannot_be_dropped_and_nothing_changes(
    action_now: Organization, types: dict[str, CaseType], manager: User, organizer: User
) -> None:
    claim = types["torture-claim"]
    case = actions.open_case(action_now, case_type=claim, by=manager)
    fields: dict[str, Any] = {
        "name": "Torture claim",
        "emergency": False,
        "public": True,
        "statuses": ["Gathering evidence", "Closed"],  # drops "New", where the case is
        "activity_types": [],
        "planned": [],
    }
    with pytest.raises(case_types.CaseTypeRefused) as refused:
        case_types.save_case_type(action_now, case_type=claim, by=manager, **fields)
    assert "“New”" in refused.value.message
    assert CaseStatus.objects.filter(case_type=claim, name="New").exists()
    assert claim.planned.count() == 2
    with pytest.raises(PermissionError):  # an organizer who manages no cases
        case_types.save_case_type(action_now, case_type=claim, by=organizer, **fields)
    assert Case.objects.get(pk=case.pk).status.name == "New"


def test_an_organizer_who_manages_no_cases_cannot_see_the_case_types(
    client: Client, types: dict[str, CaseType], organizer: User
) -> None:
    assert login(client, organizer).get("/manage/action-now/cases/types/").status_code == 403


def test_a_case_manager_takes_an_advocate_off_the_case(
    client: Client, case: Case, manager: User, advocate: User
) -> None:
    role = CaseRole.objects.get(case=case, user=advocate)
    page = login(Client(), advocate).get(case.get_absolute_url()).content.decode()
    assert "off the case" not in page  # only case managers take people off
    assert login(Client(), advocate).post(
        f"/manage/action-now/cases/{case.pk}/unassign/{role.pk}/"
    ).status_code in (403, 404)
    login(client, manager)
    client.post(f"/manage/action-now/cases/{case.pk}/break-glass/", {"reason": "Ada left"})
    response = client.post(f"/manage/action-now/cases/{case.pk}/unassign/{role.pk}/")
    assert response.status_code == 303
    assert not CaseRole.objects.filter(pk=role.pk).exists()
    assert login(Client(), advocate).get(case.get_absolute_url()).status_code == 404
    assert AuditEntry.objects.filter(case_id=case.pk, action="unassign").exists()


def test_who_asked_for_help_is_told_it_arrived_and_nothing_else(
    client: Client, types: dict[str, CaseType], drain: Any, mailbox: Any
) -> None:
    client.post(
        "/help/action-now/",
        {
            "case_type": types["medical-emergency"].pk,
            "client_name": "Fictional Brother",
            "idoc_number": "K55555",
            "facility": "Menard Correctional Center",
            "description": "He has had a fever for a week.",
            "name": "Rosa Martinez",
            "email": "rosa@example.org",
            "phone": "",
            "form_token": request_token(),
        },
        HTTP_ACCEPT_LANGUAGE="es",
    )
    case = Case.objects.get()
    drain()
    [message] = mailbox.wait_for(1)
    assert message["To"] == "rosa@example.org"
    text = message.get_body(("plain",)).get_content()
    assert case.reference in text
    for secret in ("Fictional", "K55555", "Menard", "fever", "emergenc", "Medical"):
        assert secret.lower() not in (text + str(message["Subject"])).lower()


def test_a_case_is_linked_to_its_support_campaign_public_or_private(
    client: Client, case: Case, advocate: User, action_now: Organization, other_org: Organization
) -> None:
    mine = Campaign.objects.create(owner=action_now, slug="free-them", title="Free them")
    theirs = Campaign.objects.create(owner=other_org, slug="theirs", title="Theirs")
    login(client, advocate)
    url = f"/manage/action-now/cases/{case.pk}/campaign/"
    assert client.post(url, {"campaign": theirs.pk, "public": "on"}).status_code == 400
    assert Case.objects.get(pk=case.pk).campaign is None
    assert client.post(url, {"campaign": mine.pk, "public": "on"}).status_code == 303
    linked = Case.objects.get(pk=case.pk)
    assert (linked.campaign, linked.campaign_public) == (mine, True)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "Free them" in page and "counted on the campaign" in page
    client.post(url, {"campaign": mine.pk})
    assert Case.objects.get(pk=case.pk).campaign_public is False
    assert AuditEntry.objects.filter(case_id=case.pk, action="campaign").count() == 2
    assert Activity.objects.filter(case=case).exists()
