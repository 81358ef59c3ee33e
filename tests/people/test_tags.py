"""Tags: applied from a search (bulk/), managed at /manage/<org>/people/tags/."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization
from groundswell.people import actions
from groundswell.people.models import AuditEvent, Supporter, Tag, Tagging
from tests.conftest import login
from tests.people.test_search import add_supporter

pytestmark = pytest.mark.django_db

BULK_URL = reverse("people_manage:bulk", args=["action-now"])


def tagged(tag_name: str) -> list[str]:
    return sorted(
        Supporter.objects.filter(
            person__taggings__tag__name=tag_name, organization__slug="action-now"
        ).values_list("first_name", flat=True)
    )


def test_a_tag_goes_on_the_people_ticked_and_is_created_once(
    client: Client, organizer: User, action_now: Organization
) -> None:
    ana = add_supporter(action_now, "Ana")
    add_supporter(action_now, "Ben")
    login(client, organizer)
    for name in ("Volunteer", "volunteer "):
        client.post(
            BULK_URL,
            {"scope": "selected", "people": [ana.pk], "operation": "tag", "tag_name": name},
        )
    assert Tag.objects.filter(organization=action_now).count() == 1
    assert tagged("Volunteer") == ["Ana"]
    assert AuditEvent.objects.filter(action=AuditEvent.Action.CHANGED).count() == 2


def test_a_tag_goes_on_every_result_and_comes_off_again(
    client: Client, organizer: User, action_now: Organization
) -> None:
    add_supporter(action_now, "Ana", zip_code="60608")
    add_supporter(action_now, "Ben", zip_code="60623")
    add_supporter(action_now, "Cat", zip_code="53703")
    login(client, organizer)
    client.post(f"{BULK_URL}?zip=606", {"scope": "all", "operation": "tag", "tag_name": "Chicago"})
    assert tagged("Chicago") == ["Ana", "Ben"]
    response = client.post(
        f"{BULK_URL}?zip=6060",
        {"scope": "all", "operation": "untag", "tag_name": "chicago"},
        follow=True,
    )
    assert "removed from 1 people" in response.content.decode()
    assert tagged("Chicago") == ["Ben"]


def test_removing_a_tag_that_does_not_exist_says_so(
    client: Client, organizer: User, action_now: Organization
) -> None:
    add_supporter(action_now, "Ana")
    response = login(client, organizer).post(
        BULK_URL, {"scope": "all", "operation": "untag", "tag_name": "nope"}, follow=True
    )
    assert "You have no tag of that name" in response.content.decode()


def test_a_tag_is_renamed_but_not_onto_another_tags_name(
    client: Client, organizer: User, action_now: Organization
) -> None:
    tag = actions.get_or_create_tag(action_now, "volunter")
    actions.get_or_create_tag(action_now, "captain")
    url = reverse("people_manage:tag_edit", args=["action-now", tag.pk])
    login(client, organizer)
    response = client.post(url, {"name": "Captain"})
    assert "already have a tag of that name" in response.content.decode()
    assert client.post(url, {"name": "volunteer"}).status_code == 303
    tag.refresh_from_db()
    assert tag.name == "volunteer"


def test_deleting_a_tag_takes_it_off_everyone_and_keeps_them(
    client: Client, organizer: User, action_now: Organization
) -> None:
    ana = add_supporter(action_now, "Ana")
    tag = actions.get_or_create_tag(action_now, "volunteer")
    actions.tag_people(tag, [ana.person_id])
    login(client, organizer)
    page = client.get(reverse("people_manage:tags", args=["action-now"])).content.decode()
    assert "volunteer" in page
    response = client.post(reverse("people_manage:tag_delete", args=["action-now", tag.pk]))
    assert response.status_code == 303
    assert not Tagging.objects.exists()
    assert Supporter.objects.filter(pk=ana.pk).exists()
