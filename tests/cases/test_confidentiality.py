"""A case is seen only by the staff assigned to it and the organization's case managers:
one rule (Case.objects.visible_to / readable_by) behind every page, export and search."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from groundswell.accounts.models import User
from groundswell.cases import actions
from groundswell.cases.models import AuditEntry, BreakGlass, Case, CaseType
from groundswell.organizations.models import Membership, Organization
from groundswell.people import actions as people_actions
from groundswell.people import registry
from groundswell.people.rights.actions import data_copy, erase
from groundswell.people.timeline import timeline
from tests.api.conftest import ApiClient, token_for
from tests.cases.conftest import IDOC, SECRET_DETAIL
from tests.conftest import login

pytestmark = pytest.mark.django_db


def _membership(user: User, organization: Organization) -> Membership:
    return Membership.objects.get(user=user, organization=organization)


def test_the_advocate_and_the_case_managers_see_it_nobody_else(
    case: Case,
    action_now: Organization,
    advocate: User,
    manager: User,
    organizer: User,
    owner: User,
) -> None:
    assert list(Case.objects.visible_to(_membership(advocate, action_now))) == [case]
    assert list(Case.objects.visible_to(_membership(manager, action_now))) == [case]
    # Dee organizes there and Maria owns it: neither is on the case nor manages cases.
    assert not Case.objects.visible_to(_membership(organizer, action_now)).exists()
    assert not Case.objects.visible_to(_membership(owner, action_now)).exists()


def test_another_organization_never_sees_it(
    case: Case, outsider: User, other_org: Organization
) -> None:
    actions.seed_case_types(other_org)
    actions.add_case_manager(other_org, outsider, by=outsider)
    assert not Case.objects.visible_to(_membership(outsider, other_org)).exists()
    client = login(Client(), outsider)
    assert client.get(f"/manage/{other_org.slug}/cases/{case.pk}/").status_code == 404
    assert client.get(f"/manage/action-now/cases/{case.pk}/").status_code == 403


def test_an_unassigned_organizer_gets_the_same_404_as_for_no_case(
    case: Case, organizer: User
) -> None:
    client = login(Client(), organizer)
    assert client.get(f"/manage/action-now/cases/{case.pk}/").status_code == 404
    assert client.get("/manage/action-now/cases/999999/").status_code == 404
    queue = client.get("/manage/action-now/cases/").content.decode()
    assert IDOC not in queue and case.reference not in queue
    search = client.get("/manage/action-now/cases/", {"q": IDOC}).content.decode()
    assert case.reference not in search
    for path in ("notes/", "status/", "close/"):
        response = client.post(f"/manage/action-now/cases/{case.pk}/{path}", {"text": "x"})
        assert response.status_code == 404
    export = client.get("/manage/action-now/cases/export.csv").content.decode()
    assert export.strip().count("\n") == 0  # the header alone


def test_the_advocate_reads_the_confidential_fields(case: Case, advocate: User) -> None:
    page = login(Client(), advocate).get(f"/manage/action-now/cases/{case.pk}/")
    assert page.status_code == 200
    assert SECRET_DETAIL in page.content.decode()


def test_the_export_is_redacted(case: Case, advocate: User) -> None:
    export = login(Client(), advocate).get("/manage/action-now/cases/export.csv").content.decode()
    assert case.reference in export and "Stateville" in export
    assert SECRET_DETAIL not in export and "Fictional Client" not in export


def test_a_case_manager_breaks_the_glass_with_a_reason_which_owners_see(
    case: Case, manager: User, owner: User, advocate: User
) -> None:
    # Cora is not on the case Ada was assigned: its page asks her why first.
    client = login(Client(), manager)
    response = client.get(f"/manage/action-now/cases/{case.pk}/")
    assert response.status_code == 303
    assert response["Location"].endswith(f"/cases/{case.pk}/break-glass/")
    empty = client.post(f"/manage/action-now/cases/{case.pk}/break-glass/", {"reason": " "})
    assert empty.status_code == 400 and not BreakGlass.objects.exists()
    client.post(
        f"/manage/action-now/cases/{case.pk}/break-glass/",
        {"reason": "Ada is out sick and the facility called"},
    )
    assert SECRET_DETAIL in client.get(f"/manage/action-now/cases/{case.pk}/").content.decode()
    assert AuditEntry.objects.filter(case_id=case.pk, action="break_glass").exists()
    log = login(Client(), owner).get("/manage/action-now/cases/audit/").content.decode()
    assert "Ada is out sick and the facility called" in log and "cora@actionnow.example" in log
    # Only owners read the log.
    assert login(Client(), advocate).get("/manage/action-now/cases/audit/").status_code == 403


def test_an_organizer_cannot_break_the_glass(case: Case, organizer: User) -> None:
    response = login(Client(), organizer).post(
        f"/manage/action-now/cases/{case.pk}/break-glass/", {"reason": "curious"}
    )
    assert response.status_code == 404
    assert not BreakGlass.objects.exists()


def test_a_case_never_shows_on_the_clients_person_page_timeline_or_data_copy(
    action_now: Organization, types: dict[str, CaseType], manager: User, owner: User
) -> None:
    added = people_actions.add_person(
        action_now,
        fields={"first_name": "Lena", "last_name": "Doe", "email": "lena@example.org"},
        consent_to_email=True,
    )
    case = actions.open_case(
        action_now,
        case_type=types["re-entry-support"],
        client_name="Lena Doe",
        client_email="lena@example.org",
        idoc_number=IDOC,
        facility="Logan Correctional Center",
        medical_details=SECRET_DETAIL,
        by=manager,
    )
    assert case.client == added.supporter.person
    for user in (owner, manager):
        client = login(Client(), user)
        page = client.get(f"/manage/action-now/people/{added.supporter.pk}/").content.decode()
        assert "Lena" in page
        assert IDOC not in page and "Logan" not in page and SECRET_DETAIL not in page
        listing = client.get("/manage/action-now/people/", {"q": IDOC}).content.decode()
        assert "Logan" not in listing
        streamed = client.get("/manage/action-now/people/export.csv")
        export = b"".join(streamed.streaming_content).decode()  # type: ignore[attr-defined]
        assert IDOC not in export and "Logan" not in export
    api = ApiClient(Client(), token_for(action_now))
    for path in (f"people/{added.supporter.pk}", "people"):
        answer = api.get(path)
        assert answer.status_code == 200
        assert IDOC not in answer.content.decode() and "Logan" not in answer.content.decode()
    entries = timeline(added.supporter.person, action_now)
    assert not [e for e in entries if "case" in e.kind or IDOC in e.summary]
    copy = json.dumps(data_copy(added.supporter.person), default=str)
    assert IDOC not in copy and "Logan" not in copy and SECRET_DETAIL not in copy
    assert "cases" not in {provider.name for provider in registry.providers()}


def test_erasing_the_client_leaves_the_case_without_their_record(
    action_now: Organization, types: dict[str, CaseType], manager: User
) -> None:
    case = actions.open_case(
        action_now,
        case_type=types["re-entry-support"],
        client_name="Lena Doe",
        client_email="lena@example.org",
        requester=actions.Requester(name="Rosa Martinez", email="rosa@example.org"),
        by=manager,
    )
    family = case.roles.get().person
    assert case.client is not None and family is not None
    erase(case.client, via="link")
    erase(family, via="link")
    case.refresh_from_db()
    assert case.client is None and not case.roles.exists()


def test_the_family_contact_who_asked_for_help_never_finds_the_case_in_their_data(
    action_now: Organization, types: dict[str, CaseType], manager: User, owner: User
) -> None:
    """Rosa asked for help on the public form: her record, her timeline, a search for
    what the case holds, her copy of her data and the API say nothing of the case."""
    people_actions.add_person(
        action_now,
        fields={"first_name": "Rosa", "last_name": "Martinez", "email": "rosa@example.org"},
        consent_to_email=True,
    )
    case = actions.open_case(
        action_now,
        case_type=types["medical-emergency"],
        client_name="Fictional Client",
        facility="Dixon Correctional Center",
        idoc_number=IDOC,
        medical_details=SECRET_DETAIL,
        source=Case.Source.REQUEST,
        requester=actions.Requester(name="Rosa Martinez", email="rosa@example.org"),
    )
    rosa = case.roles.get().person
    assert rosa is not None
    supporter = rosa.supporters.get(organization=action_now)
    secrets = (IDOC, "Dixon", SECRET_DETAIL, "Fictional Client", "Medical emergency")
    for user in (owner, manager):
        client = login(Client(), user)
        page = client.get(f"/manage/action-now/people/{supporter.pk}/").content.decode()
        assert "Rosa" in page and not [s for s in secrets if s in page]
        for term in (IDOC, "Dixon", "Fictional"):
            found = client.get("/manage/action-now/people/", {"q": term}).content.decode()
            assert "Rosa" not in found
        found = client.get("/manage/action-now/people/", {"q": "Rosa"}).content.decode()
        assert "Rosa" in found and not [s for s in secrets if s in found]
    entries = timeline(rosa, action_now)
    assert not [e for e in entries for s in secrets if s in f"{e.summary} {e.source}"]
    copy = json.dumps(data_copy(rosa), default=str)
    assert not [s for s in secrets if s in copy]
    answer = ApiClient(Client(), token_for(action_now)).get(f"people/{supporter.pk}")
    assert answer.status_code == 200 and not [s for s in secrets if s in answer.content.decode()]
