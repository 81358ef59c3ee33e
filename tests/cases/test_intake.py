"""Cases come in two ways: an organizer's intake form, and the public request for help
(screened like the other public forms), which lands in the triage queue."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from groundswell.accounts.models import User
from groundswell.cases.models import Case, CaseRole, CaseType, RoleKind, Urgency
from groundswell.organizations.models import Organization
from tests.cases.conftest import request_token
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _request(types: dict[str, CaseType], **changes: Any) -> dict[str, Any]:
    return {
        "case_type": types["medical-emergency"].pk,
        "client_name": "Fictional Brother",
        "idoc_number": "K55555",
        "facility": "Menard Correctional Center",
        "description": "He has had a fever for a week and no doctor has seen him.",
        "name": "Rosa Martinez",
        "email": "rosa@example.org",
        "phone": "",
        "form_token": request_token(),
        **changes,
    }


def test_an_organizer_opens_a_case_and_is_its_advocate(
    types: dict[str, CaseType], organizer: User
) -> None:
    client = login(Client(), organizer)
    assert client.get("/manage/action-now/cases/new/").status_code == 200
    response = client.post(
        "/manage/action-now/cases/new/",
        {
            "case_type": types["torture-claim"].pk,
            "urgency": Urgency.ROUTINE,
            "client_name": "Fictional Claimant",
            "tirc_number": "2024-001",
            "description": "Beaten in 1988 at Area 2.",
        },
    )
    case = Case.objects.get()
    assert response.status_code == 303 and response["Location"] == case.get_absolute_url()
    assert CaseRole.objects.get(case=case).user == organizer
    assert case.sla_due_at is None
    assert [a.title for a in case.activities.all()] == ["Meet the claimant", "TIRC filing deadline"]
    assert "2024-001" in client.get(case.get_absolute_url()).content.decode()


def test_the_intake_form_refuses_a_case_without_what_is_happening(
    types: dict[str, CaseType], organizer: User
) -> None:
    response = login(Client(), organizer).post(
        "/manage/action-now/cases/new/",
        {"case_type": types["torture-claim"].pk, "urgency": 1, "client_name": "X"},
    )
    assert response.status_code == 400
    assert "The case has not been opened yet." in response.content.decode()
    assert not Case.objects.exists()


def test_a_public_request_lands_in_the_triage_queue_as_an_emergency(
    client: Client, types: dict[str, CaseType], manager: User, organizer: User
) -> None:
    page = client.get("/help/action-now/")
    assert page.status_code == 200
    assert "Re-entry support" not in page.content.decode()  # not offered publicly
    response = client.post("/help/action-now/", _request(types))
    assert response.status_code == 303 and response["Location"] == "/help/action-now/thanks/"
    case = Case.objects.get()
    assert (case.source, case.urgency) == (Case.Source.REQUEST, Urgency.EMERGENCY)
    assert case.sla_due_at is not None and case.acted_at is None
    family = CaseRole.objects.get(case=case)
    assert family.kind == RoleKind.FAMILY and family.person is not None
    assert family.person.email == "rosa@example.org"
    queue = login(Client(), manager).get("/manage/action-now/cases/").content.decode()
    assert case.reference in queue and "Menard" in queue
    # Unassigned, the case manager reads it to triage it; an organizer does not see it.
    assert (
        "fever for a week" in login(Client(), manager).get(case.get_absolute_url()).content.decode()
    )
    assert (
        case.reference
        not in login(Client(), organizer).get("/manage/action-now/cases/").content.decode()
    )


def test_a_bad_request_says_why_and_keeps_nothing(
    client: Client, types: dict[str, CaseType]
) -> None:
    response = client.post("/help/action-now/", _request(types, email="not an address"))
    assert response.status_code == 400
    assert "Your request has not been sent yet." in response.content.decode()
    assert not Case.objects.exists()


def test_a_bot_in_the_honeypot_sees_thanks_and_nothing_is_kept(
    client: Client, types: dict[str, CaseType]
) -> None:
    response = client.post("/help/action-now/", _request(types, website="http://spam.example"))
    assert response.status_code == 303
    assert not Case.objects.exists()


def test_a_form_without_its_token_is_refused(client: Client, types: dict[str, CaseType]) -> None:
    response = client.post("/help/action-now/", _request(types, form_token=""))
    assert response.status_code == 400
    assert not Case.objects.exists()


def test_past_the_limit_a_network_is_told_to_wait(
    client: Client, types: dict[str, CaseType], settings: Any
) -> None:
    settings.CASE_REQUEST_RATE_IP = (1, 3600)
    assert client.post("/help/action-now/", _request(types)).status_code == 303
    response = client.post("/help/action-now/", _request(types, form_token=request_token()))
    assert response.status_code == 429 and response["Retry-After"]
    assert Case.objects.count() == 1


def test_an_organization_that_takes_no_requests_has_no_form(
    client: Client, other_org: Organization
) -> None:
    assert client.get(f"/help/{other_org.slug}/").status_code == 404


def test_the_case_page_shows_the_requester_as_typed_never_anothers_record(
    client: Client, types: dict[str, CaseType], manager: User, ocad: Organization
) -> None:
    from groundswell.people import actions as people_actions

    # Another organization knows this address under a name of its own.
    people_actions.record_person(
        email="rosa@example.org", first_name="Hidden", last_name="Name", organization=ocad
    )
    response = client.post(
        "/help/action-now/", _request(types, name="Someone Typing", phone="312-555-0100")
    )
    assert response.status_code == 303
    case = Case.objects.get()
    page = login(Client(), manager).get(case.get_absolute_url()).content.decode()
    assert "Someone Typing · rosa@example.org · 312-555-0100" in page
    assert "Hidden" not in page
    assert "Someone Typing" not in case.requester  # sealed in the row
