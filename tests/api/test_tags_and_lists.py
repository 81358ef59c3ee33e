"""Tags, taggings, lists and items over the API: always the organization's own, each
item a link to its own supporter record."""

from __future__ import annotations

import pytest

from groundswell.organizations.models import Organization
from groundswell.people import actions
from groundswell.people import actions as people_actions
from groundswell.people.models import Tagging
from tests.api.conftest import ApiClient, add_supporter

pytestmark = pytest.mark.django_db


def test_creating_a_tag_twice_gives_the_same_tag(api: ApiClient, action_now: Organization) -> None:
    first = api.post("tags", {"name": "Volunteer"}).json()
    second = api.post("tags", {"name": "volunteer"}).json()

    assert first["identifiers"] == second["identifiers"]
    assert api.get("tags").json()["total_records"] == 1


def test_taggings_link_to_the_organizations_supporter(
    api: ApiClient, action_now: Organization, ocad: Organization
) -> None:
    ana = add_supporter(action_now, "Ana")
    tag = people_actions.get_or_create_tag(action_now, "volunteer")
    href = f"http://testserver/api/v2/people/{ana.pk}"

    created = api.post(f"tags/{tag.pk}/taggings", {"_links": {"osdi:person": {"href": href}}})

    assert created.json()["_links"]["osdi:person"]["href"] == href
    tagging_id = created.json()["identifiers"][0].split(":")[1]
    assert api.get(f"tags/{tag.pk}/taggings/{tagging_id}").status_code == 200
    deleted = api.delete(f"tags/{tag.pk}/taggings/{tagging_id}")
    assert deleted.status_code == 200 and deleted.json()["notice"]
    assert not Tagging.objects.exists()


def test_another_organizations_tag_is_not_found(
    api: ApiClient, action_now: Organization, ocad: Organization
) -> None:
    theirs = people_actions.get_or_create_tag(ocad, "theirs")
    ana = add_supporter(action_now, "Ana")

    assert api.get(f"tags/{theirs.pk}").status_code == 404
    response = api.post(
        f"tags/{theirs.pk}/taggings",
        {"_links": {"osdi:person": {"href": f"http://testserver/api/v2/people/{ana.pk}"}}},
    )
    assert response.status_code == 404
    assert not Tagging.objects.exists()


def test_lists_and_saved_searches_serve_their_people(
    api: ApiClient, action_now: Organization
) -> None:
    ana = add_supporter(action_now, "Ana", zip_code="60608")
    add_supporter(action_now, "Ben", zip_code="60609")
    static = actions.create_list(action_now, "Ward 25")
    actions.add_to_list(static, [ana.person_id])
    saved = actions.create_list(action_now, "60609", kind="saved", query={"zip": "60609"})

    lists = api.get("lists").json()
    static_items = api.get(f"lists/{static.pk}/items").json()["_embedded"]["osdi:items"]
    saved_items = api.get(f"lists/{saved.pk}/items").json()["_embedded"]["osdi:items"]

    assert lists["total_records"] == 2
    assert [i["_links"]["osdi:person"]["href"].rsplit("/", 1)[1] for i in static_items] == [
        str(ana.pk)
    ]
    assert len(saved_items) == 1 and saved_items[0]["item_type"] == "osdi:person"
    assert api.get(f"lists/{static.pk}/items/{ana.pk}").status_code == 200


def test_the_entry_point_links_every_collection(api: ApiClient) -> None:
    body = api.get("").json()

    assert body["motd"]
    for name in ("osdi:people", "osdi:petitions", "osdi:tags", "osdi:lists", "osdi:metadata"):
        assert api.get(body["_links"][name]["href"]).status_code == 200


def test_the_openapi_document_describes_every_route(client: object) -> None:
    from django.test import Client

    from groundswell.api.urls import ROUTES

    document = Client().get("/api/v2/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    served = {
        p.replace("(?P<", "{").replace(">[0-9]+)", "}") or "/"
        for p, _, n in ROUTES
        if n != "openapi"
    }
    assert served == set(document["paths"])
