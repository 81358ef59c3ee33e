"""/manage/<org>/people/audit/: owners read who viewed, exported or erased supporter data."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization, Role
from groundswell.people import actions, audit
from groundswell.people.models import AuditEvent, Erasure, Person, Supporter
from groundswell.people.rights import actions as rights
from tests.conftest import login, make_organizer

pytestmark = pytest.mark.django_db


def audit_url(organization: Organization, query: str = "") -> str:
    return reverse("people_manage:audit", args=[organization.slug]) + query


@pytest.fixture
def ana(action_now: Organization) -> Person:
    person = actions.record_person(email="ana@example.org", first_name="Ana")
    actions.link(person, action_now, source="import:1")
    return person


def at(minutes_ago: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=minutes_ago)


def test_owners_read_the_log_newest_first(
    client: Client, action_now: Organization, owner: User, organizer: User, ana: Person
) -> None:
    audit.record(action_now, AuditEvent.Action.SEARCHED, user=organizer, detail="zip=60608")
    AuditEvent.objects.update(at=at(10))
    audit.record(
        action_now, AuditEvent.Action.EXPORTED, user=owner, detail="people.csv", records=41
    )
    login(client, owner)
    response = client.get(audit_url(action_now))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index("people.csv") < page.index("zip=60608")
    assert "41" in page and "Exported" in page and "Searched" in page
    assert "Dee" in page and "Maria" in page


def test_an_erased_persons_entries_say_erased(
    client: Client, action_now: Organization, owner: User, ana: Person
) -> None:
    audit.record(action_now, AuditEvent.Action.VIEWED, user=owner, person=ana)
    login(client, owner)
    supporter = Supporter.objects.get(person=ana, organization=action_now)
    assert f"Supporter {supporter.pk}<" in client.get(audit_url(action_now)).content.decode()
    rights.erase_from_organization(ana, action_now, by=owner)
    page = client.get(audit_url(action_now)).content.decode()
    assert f"Supporter {supporter.pk}<" not in page
    assert page.count(">erased<") == 2  # the view, and the erasure itself
    assert "Erased" in page
    assert Erasure.objects.get().organization == action_now


def test_entries_name_the_organizations_supporter_never_the_person(
    client: Client, action_now: Organization, owner: User
) -> None:
    # Ids apart: the person's id must not show where the supporter's does.
    for i in range(3):
        actions.record_person(email=f"x{i}@example.org")
    luis = actions.record_person(email="luis@example.org")
    supporter = actions.link(luis, action_now, source="import:2")
    assert supporter.pk != luis.pk
    audit.record(action_now, AuditEvent.Action.VIEWED, user=owner, person=luis)
    login(client, owner)
    page = client.get(audit_url(action_now)).content.decode()
    person_url = reverse("people_manage:person", args=[action_now.slug, supporter.pk])
    assert f'href="{person_url}"' in page
    assert f"Supporter {supporter.pk}<" in page and f"Supporter {luis.pk}<" not in page


def test_the_log_filters_by_action_and_by_user(
    client: Client, action_now: Organization, owner: User, organizer: User
) -> None:
    audit.record(action_now, AuditEvent.Action.SEARCHED, user=organizer, detail="search one")
    audit.record(action_now, AuditEvent.Action.EXPORTED, user=organizer, detail="export two")
    audit.record(action_now, AuditEvent.Action.EXPORTED, user=owner, detail="export three")
    login(client, owner)
    by_action = client.get(audit_url(action_now, "?action=exported")).content.decode()
    assert "export two" in by_action and "export three" in by_action
    assert "search one" not in by_action
    both = client.get(audit_url(action_now, f"?action=exported&user={organizer.pk}"))
    assert "export two" in both.content.decode()
    assert "export three" not in both.content.decode()


def test_a_filter_that_is_not_offered_is_refused_with_a_message(
    client: Client, action_now: Organization, owner: User, outsider: User
) -> None:
    audit.record(action_now, AuditEvent.Action.SEARCHED, user=owner, detail="secret search")
    login(client, owner)
    for query in ["?action=deleted", f"?user={outsider.pk}", "?user=abc"]:
        response = client.get(audit_url(action_now, query))
        assert response.status_code == 400, query
        assert "These filters cannot be used" in response.content.decode()
        assert "secret search" not in response.content.decode()


def test_the_log_is_paginated_and_keeps_its_filters(
    client: Client, action_now: Organization, owner: User
) -> None:
    AuditEvent.objects.bulk_create(
        AuditEvent(
            organization=action_now,
            user=owner,
            action=AuditEvent.Action.SEARCHED,
            detail=f"search {i:02}",
            at=at(i),
        )
        for i in range(60)
    )
    login(client, owner)
    first = client.get(audit_url(action_now, "?action=searched")).content.decode()
    assert "search 00" in first and "search 49" in first and "search 50" not in first
    assert "action=searched&amp;page=2" in first
    second = client.get(audit_url(action_now, "?action=searched&page=2")).content.decode()
    assert "search 50" in second and "search 59" in second and "search 49" not in second


def test_only_owners_of_this_organization_read_it(
    client: Client, action_now: Organization, organizer: User, outsider: User
) -> None:
    audit.record(action_now, AuditEvent.Action.SEARCHED, user=organizer, detail="theirs")
    admin = make_organizer("ali@actionnow.example", action_now, Role.ADMIN)
    for user in (admin, organizer, outsider):
        login(client, user)
        assert client.get(audit_url(action_now)).status_code == 403
    client.logout()
    assert client.get(audit_url(action_now)).status_code == 302


def test_another_organizations_entries_are_not_shown(
    client: Client, action_now: Organization, other_org: Organization, owner: User, outsider: User
) -> None:
    audit.record(other_org, AuditEvent.Action.EXPORTED, user=outsider, detail="elsewhere.csv")
    login(client, owner)
    page = client.get(audit_url(action_now)).content.decode()
    assert "elsewhere.csv" not in page
    assert "Nothing recorded yet." in page
