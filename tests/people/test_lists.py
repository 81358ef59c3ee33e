"""Static lists and saved searches: /manage/<org>/people/lists/, bulk/ and searches/new/."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization
from groundswell.people import actions
from groundswell.people.models import AuditEvent, ListMember, PersonList, Supporter
from tests.conftest import login
from tests.people.test_search import add_supporter, names

pytestmark = pytest.mark.django_db


def bulk_url(querystring: str = "") -> str:
    url = reverse("people_manage:bulk", args=["action-now"])
    return f"{url}?{querystring}" if querystring else url


def detail_url(person_list: PersonList) -> str:
    return reverse("people_manage:list_detail", args=["action-now", person_list.pk])


def members(person_list: PersonList) -> list[str]:
    return sorted(
        Supporter.objects.filter(
            organization=person_list.organization,
            person__list_memberships__person_list=person_list,
        ).values_list("first_name", flat=True)
    )


def test_saving_a_search_stores_its_cleaned_parameters_and_shows_live_results(
    client: Client, organizer: User, action_now: Organization
) -> None:
    add_supporter(action_now, "Ana", zip_code="60608")
    login(client, organizer)
    response = client.post(
        reverse("people_manage:save_search", args=["action-now"]) + "?zip=606&consent=yes",
        {"name": "Pilsen, reachable"},
    )
    saved = PersonList.objects.get(kind=PersonList.Kind.SAVED)
    assert response["Location"] == detail_url(saved)
    assert saved.query == {"zip": "606", "consent": "yes"}
    assert names(client.get(detail_url(saved))) == ["Ana Reyes"]
    add_supporter(action_now, "Ben", zip_code="60623")
    assert sorted(names(client.get(detail_url(saved)))) == ["Ana Reyes", "Ben Reyes"]


def test_ticked_people_go_to_a_new_list(
    client: Client, organizer: User, action_now: Organization
) -> None:
    ana = add_supporter(action_now, "Ana")
    add_supporter(action_now, "Ben")
    login(client, organizer).post(
        bulk_url(),
        {
            "scope": "selected",
            "people": [ana.pk],
            "operation": "add_to_list",
            "new_list": "Phone bank",
        },
    )
    person_list = PersonList.objects.get(name="Phone bank", kind=PersonList.Kind.STATIC)
    assert members(person_list) == ["Ana"]
    assert names(client.get(detail_url(person_list))) == ["Ana Reyes"]


def test_every_result_of_a_search_goes_to_an_existing_list_once(
    client: Client, organizer: User, action_now: Organization
) -> None:
    add_supporter(action_now, "Ana", zip_code="60608")
    add_supporter(action_now, "Ben", zip_code="60623")
    add_supporter(action_now, "Cat", zip_code="53703")
    person_list = actions.create_list(action_now, "Chicago")
    login(client, organizer)
    for _ in range(2):
        client.post(
            bulk_url("zip=606"),
            {"scope": "all", "operation": "add_to_list", "person_list": person_list.pk},
        )
    assert members(person_list) == ["Ana", "Ben"]
    assert ListMember.objects.filter(person_list=person_list).count() == 2


def test_people_are_removed_from_a_list(
    client: Client, organizer: User, action_now: Organization
) -> None:
    ana = add_supporter(action_now, "Ana")
    ben = add_supporter(action_now, "Ben")
    person_list = actions.create_list(action_now, "Phone bank")
    actions.add_to_list(person_list, [ana.person_id, ben.person_id])
    login(client, organizer).post(
        bulk_url(f"list={person_list.pk}"),
        {
            "scope": "selected",
            "people": [ben.pk],
            "operation": "remove_from_list",
            "person_list": person_list.pk,
            "next": "list",
        },
    )
    assert members(person_list) == ["Ana"]


def test_bulk_actions_without_people_or_a_list_say_so_and_change_nothing(
    client: Client, organizer: User, action_now: Organization
) -> None:
    add_supporter(action_now, "Ana")
    login(client, organizer)
    for data, message in (
        ({"scope": "selected", "operation": "add_to_list", "new_list": "X"}, "Tick at least one"),
        ({"scope": "all", "operation": "add_to_list"}, "Choose a list, or name a new one"),
        ({"scope": "all", "operation": "add_to_list", "person_list": "999"}, "does not exist"),
        ({"scope": "all", "operation": "explode"}, "Select a valid choice"),
        (
            {"scope": "selected", "people": ["abc"], "operation": "tag", "tag_name": "x"},
            "not understood",
        ),
    ):
        response = client.post(bulk_url(), data, follow=True)
        assert message in response.content.decode(), data
    assert not PersonList.objects.exists()


def test_the_lists_page_creates_an_empty_list_and_shows_both_kinds(
    client: Client, organizer: User, action_now: Organization
) -> None:
    actions.create_list(action_now, "Reachable", kind=PersonList.Kind.SAVED, query={})
    login(client, organizer)
    response = client.post(reverse("people_manage:lists", args=["action-now"]), {"name": "Drivers"})
    assert response.status_code == 303
    page = client.get(reverse("people_manage:lists", args=["action-now"])).content.decode()
    assert "Drivers" in page and "Reachable" in page


def test_deleting_a_list_keeps_its_people(
    client: Client, organizer: User, action_now: Organization
) -> None:
    ana = add_supporter(action_now, "Ana")
    person_list = actions.create_list(action_now, "Phone bank")
    actions.add_to_list(person_list, [ana.person_id])
    login(client, organizer)
    url = reverse("people_manage:list_delete", args=["action-now", person_list.pk])
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 303
    assert not PersonList.objects.exists()
    assert Supporter.objects.filter(pk=ana.pk).exists()


def test_a_saved_search_naming_a_deleted_tag_matches_no_one_and_says_why(
    client: Client, organizer: User, action_now: Organization
) -> None:
    add_supporter(action_now, "Ana")
    saved = actions.create_list(
        action_now, "Old tag", kind=PersonList.Kind.SAVED, query={"tag": 4242}
    )
    response = login(client, organizer).get(detail_url(saved))
    assert names(response) == []
    assert "no longer exists" in response.content.decode()


def test_a_search_for_a_name_is_not_saved_so_no_name_outlives_an_erasure(
    client: Client, organizer: User, action_now: Organization
) -> None:
    add_supporter(action_now, "Ana", zip_code="60608")
    login(client, organizer)
    page = client.get(reverse("people_manage:list", args=["action-now"]) + "?q=ana&zip=606")
    assert "cannot be saved" in page.content.decode()
    assert "Save this search" not in page.content.decode()
    response = client.post(
        reverse("people_manage:save_search", args=["action-now"]) + "?q=ana.reyes%40example.org",
        {"name": "follow up"},
        follow=True,
    )
    assert not PersonList.objects.exists()
    assert "Nothing was saved" in response.content.decode()
    assert response.context["query"] == {"q": "ana.reyes@example.org"}  # back to their search
    with pytest.raises(ValueError, match="text"):
        actions.create_list(action_now, "x", kind=PersonList.Kind.SAVED, query={"q": "ana"})


def test_running_a_saved_search_is_audited_as_the_same_search_would_be(
    client: Client, organizer: User, action_now: Organization
) -> None:
    add_supporter(action_now, "Ana", zip_code="60608")
    filters = actions.create_list(
        action_now, "Pilsen", kind=PersonList.Kind.SAVED, query={"zip": "606"}
    )
    # Saved before searches kept no text: running it is a search for a name, and audited.
    older = PersonList.objects.create(
        organization=action_now, name="Old", kind=PersonList.Kind.SAVED, query={"q": "ana"}
    )
    login(client, organizer)
    client.get(detail_url(filters))
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.SEARCHED).exists()
    client.get(detail_url(older))
    event = AuditEvent.objects.get(action=AuditEvent.Action.SEARCHED)
    assert (event.organization, event.user) == (action_now, organizer)
    assert event.detail == f"list {older.pk}: q"
