"""Supporters as CSV: /manage/<org>/people/export.csv and lists/<id>/export.csv."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.core.spreadsheets import neutralize
from groundswell.organizations.models import Organization
from groundswell.people import actions
from groundswell.people.models import AuditEvent, PersonList
from tests.conftest import login
from tests.people.test_search import add_supporter

pytestmark = pytest.mark.django_db

EXPORT_URL = reverse("people_manage:export", args=["action-now"])


def rows(response: Any) -> list[dict[str, str]]:
    assert response.streaming
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def by_name(exported: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {row["first_name"]: row for row in exported}


def test_contact_columns_are_filled_only_for_people_who_consented(
    client: Client, organizer: User, action_now: Organization
) -> None:
    add_supporter(action_now, "Ana", email="ana@example.org", phone="312-555-0100", city="Chicago")
    add_supporter(action_now, "Ben", email="ben@example.org", phone="312-555-0101", consent=False)
    response = login(client, organizer).get(EXPORT_URL)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    exported = by_name(rows(response))
    assert exported["Ana"]["email"] == "ana@example.org"
    assert exported["Ana"]["phone"] == "+13125550100"
    assert exported["Ana"]["city"] == "Chicago"
    assert exported["Ana"]["email_consent"] == "yes"
    assert exported["Ben"]["last_name"] == "Reyes"
    assert (exported["Ben"]["email"], exported["Ben"]["phone"]) == ("", "")
    assert exported["Ben"]["email_consent"] == "no"


def test_it_exports_the_search_with_tags_and_custom_fields(
    client: Client, organizer: User, action_now: Organization
) -> None:
    ana = add_supporter(action_now, "Ana", zip_code="60608")
    add_supporter(action_now, "Cat", zip_code="53703")
    actions.tag_people(actions.get_or_create_tag(action_now, "volunteer"), [ana.person_id])
    actions.tag_people(actions.get_or_create_tag(action_now, "driver"), [ana.person_id])
    exported = rows(login(client, organizer).get(EXPORT_URL + "?zip=606"))
    assert [row["first_name"] for row in exported] == ["Ana"]
    assert exported[0]["tags"] == "driver; volunteer"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_every_cell_from_people_is_neutralized(
    client: Client, organizer: User, action_now: Organization, start: str
) -> None:
    evil = f"{start}SUM(A1)"  # short enough for the ZIP code column
    ana = add_supporter(action_now, "Ana", email="ana@example.org")
    columns = ("first_name", "last_name", "city", "state", "address", "phone", "zip_code")
    actions.update_supporter(ana, changes=dict.fromkeys(columns, evil), custom_fields={evil: evil})
    actions.tag_people(actions.get_or_create_tag(action_now, evil), [ana.person_id])
    row = rows(login(client, organizer).get(EXPORT_URL))[0]
    # Tag names are stored with their whitespace collapsed, so only the others start with it.
    tags = ("tags",) if start.strip() else ()
    for column in (*columns, *tags, "custom_fields"):
        assert row[column].startswith("'" + start), column
    assert row["first_name"] == neutralize(evil)


def test_an_export_is_audited_with_its_row_count_and_filters_not_the_text(
    client: Client, organizer: User, action_now: Organization
) -> None:
    add_supporter(action_now, "Ana", zip_code="60608")
    add_supporter(action_now, "Anabel", zip_code="60608")
    rows(login(client, organizer).get(EXPORT_URL + "?q=ana&zip=606"))
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORTED)
    assert (event.records, event.detail, event.user) == (2, "q; zip=606", organizer)


def test_lists_and_saved_searches_export_their_people(
    client: Client, organizer: User, action_now: Organization
) -> None:
    ana = add_supporter(action_now, "Ana", zip_code="60608")
    add_supporter(action_now, "Ben", zip_code="53703")
    person_list = actions.create_list(action_now, "Phone bank")
    actions.add_to_list(person_list, [ana.person_id])
    saved = actions.create_list(
        action_now, "Madison", kind=PersonList.Kind.SAVED, query={"zip": "537"}
    )
    login(client, organizer)
    for each, expected in ((person_list, ["Ana"]), (saved, ["Ben"])):
        url = reverse("people_manage:list_export", args=["action-now", each.pk])
        assert [row["first_name"] for row in rows(client.get(url))] == expected


def test_a_malformed_search_exports_nothing(
    client: Client, organizer: User, action_now: Organization
) -> None:
    add_supporter(action_now, "Ana")
    response = login(client, organizer).get(EXPORT_URL + "?since=soon", follow=True)
    assert "Nothing was exported" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.EXPORTED).exists()


def test_the_export_reads_in_chunks_not_one_query_per_row(
    client: Client, organizer: User, action_now: Organization
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(30):
        add_supporter(action_now, f"P{n}")
    login(client, organizer)
    response = client.get(EXPORT_URL)
    with CaptureQueriesContext(connection) as queries:
        assert len(rows(response)) == 30
    assert len(queries) <= 4


def test_rows_are_named_by_the_organizations_own_supporter_id_not_the_shared_person(
    client: Client, organizer: User, action_now: Organization, other_org: Organization
) -> None:
    # The shared ids would tell who was known elsewhere first (a low id, long ago).
    early = actions.record_person(email="early@example.org")
    actions.link(early, other_org, source="import:1")
    ana = add_supporter(action_now, "Ana")
    later = add_supporter(action_now, "Ben")
    mine = actions.link(early, action_now, source="test", first_name="Eve")
    actions.tag_people(actions.get_or_create_tag(action_now, "volunteer"), [early.pk])
    exported = by_name(rows(login(client, organizer).get(EXPORT_URL)))
    assert "person_id" not in exported["Eve"]
    assert {name: row["supporter_id"] for name, row in exported.items()} == {
        "Ana": str(ana.pk),
        "Ben": str(later.pk),
        "Eve": str(mine.pk),
    }
    assert exported["Eve"]["tags"] == "volunteer"
