"""Finding supporters: /manage/<org>/people/ and people.search."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization
from groundswell.people import actions
from groundswell.people.models import AuditEvent, Supporter
from groundswell.people.search.queries import search
from groundswell.petitions.models import Petition
from tests.conftest import login
from tests.petitions.test_export import sign

pytestmark = pytest.mark.django_db


def add_supporter(
    organization: Organization,
    first_name: str,
    last_name: str = "Reyes",
    *,
    email: str = "",
    consent: bool = True,
    **fields: str,
) -> Supporter:
    """Someone the organization knows, made through the same actions a form would use."""
    email = email or f"{first_name.lower()}.{last_name.lower()}@example.org"
    person = actions.record_person(
        email=email, first_name=first_name, last_name=last_name, zip_code=fields.get("zip_code", "")
    )
    supporter = actions.link(
        person,
        organization,
        source="test",
        first_name=first_name,
        last_name=last_name,
        email=email,
        **fields,
    )
    if consent:
        actions.grant_consent(person, organization, source="test")
    return supporter


def people_url(org: str = "action-now", **params: Any) -> str:
    url = reverse("people_manage:list", args=[org])
    if params:
        from urllib.parse import urlencode

        url += "?" + urlencode(params)
    return url


def names(response: Any) -> list[str]:
    return [s.full_name for s in response.context["results"]["rows"]]


def test_it_lists_the_organizations_supporters_newest_first(
    client: Client, organizer: User, action_now: Organization
) -> None:
    old = add_supporter(action_now, "Ana")
    Supporter.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=3)
    )
    add_supporter(action_now, "Ben")
    response = login(client, organizer).get(people_url())
    assert response.status_code == 200
    assert names(response) == ["Ben Reyes", "Ana Reyes"]
    assert response.context["results"]["total"] == 2


def test_it_finds_people_by_the_start_of_a_first_or_last_name(
    client: Client, organizer: User, action_now: Organization
) -> None:
    add_supporter(action_now, "Ana", "Reyes")
    add_supporter(action_now, "Ben", "Anderson")
    add_supporter(action_now, "Cat", "Smith")
    login(client, organizer)
    assert sorted(names(client.get(people_url(q="an")))) == ["Ana Reyes", "Ben Anderson"]
    assert names(client.get(people_url(q="ana re"))) == ["Ana Reyes"]
    assert names(client.get(people_url(q="SMI"))) == ["Cat Smith"]


def test_an_email_matches_only_where_the_person_consented(
    client: Client, organizer: User, action_now: Organization
) -> None:
    add_supporter(action_now, "Ana", email="a.x7@example.org", consent=True)
    add_supporter(action_now, "Ben", email="b.x7@example.org", consent=False)
    login(client, organizer)
    assert names(client.get(people_url(q="a.x7@"))) == ["Ana Reyes"]
    assert names(client.get(people_url(q="a.x7"))) == ["Ana Reyes"]
    assert names(client.get(people_url(q="b.x7@example.org"))) == []
    assert names(client.get(people_url(q="b.x7"))) == []


def test_it_filters_by_zip_prefix_consent_language_and_dates(
    client: Client, organizer: User, action_now: Organization
) -> None:
    add_supporter(action_now, "Ana", zip_code="60608", language="es")
    ben = add_supporter(action_now, "Ben", zip_code="60623", consent=False)
    add_supporter(action_now, "Cat", zip_code="53703")
    Supporter.objects.filter(pk=ben.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=40)
    )
    login(client, organizer)
    assert sorted(names(client.get(people_url(zip="606")))) == ["Ana Reyes", "Ben Reyes"]
    assert sorted(names(client.get(people_url(consent="yes")))) == ["Ana Reyes", "Cat Reyes"]
    assert names(client.get(people_url(consent="no"))) == ["Ben Reyes"]
    assert names(client.get(people_url(language="es"))) == ["Ana Reyes"]
    since = (timezone.localdate() - datetime.timedelta(days=7)).isoformat()
    until = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    assert "Ben Reyes" not in names(client.get(people_url(since=since)))
    assert names(client.get(people_url(until=until))) == ["Ben Reyes"]


def test_it_filters_by_tag_and_list(
    client: Client, organizer: User, action_now: Organization
) -> None:
    from groundswell.people import actions

    ana = add_supporter(action_now, "Ana")
    ben = add_supporter(action_now, "Ben")
    tag = actions.get_or_create_tag(action_now, "volunteer")
    actions.tag_people(tag, [ana.person_id])
    person_list = actions.create_list(action_now, "Phone bank")
    actions.add_to_list(person_list, [ben.person_id])
    login(client, organizer)
    assert names(client.get(people_url(tag=tag.pk))) == ["Ana Reyes"]
    assert names(client.get(people_url(list=person_list.pk))) == ["Ben Reyes"]


def test_it_filters_by_the_petition_people_signed(
    client: Client,
    organizer: User,
    action_now: Organization,
    petition: Petition,
) -> None:
    sign(petition, "Ana", consents=[action_now.pk])
    add_supporter(action_now, "Ben")
    login(client, organizer)
    page = client.get(people_url())
    choices = dict(page.context["form"].fields["action"].choices)
    key = f"petition:{petition.pk}"
    assert key in choices
    assert names(client.get(people_url(action=key))) == ["Ana Reyes"]


def test_malformed_parameters_show_a_message_and_no_one(
    client: Client, organizer: User, action_now: Organization
) -> None:
    add_supporter(action_now, "Ana")
    login(client, organizer)
    for params in (
        {"tag": "not-a-number"},
        {"tag": "99999"},
        {"since": "yesterday"},
        {"since": "2024-05-02", "until": "2024-05-01"},
        {"action": "petition:99999"},
        {"consent": "maybe"},
        {"zip": "60608; drop"},
    ):
        response = client.get(people_url(**params))
        assert response.status_code == 200, params
        assert names(response) == [], params
        assert "Nothing was found: the search has problems." in response.content.decode(), params


def test_pages_hold_25_and_link_to_the_next(
    client: Client, organizer: User, action_now: Organization
) -> None:
    for n in range(30):
        add_supporter(action_now, f"P{n:02d}", consent=False)
    login(client, organizer)
    first = client.get(people_url())
    assert len(first.context["results"]["rows"]) == 25
    assert first.context["results"]["has_next"]
    second = client.get(people_url(page=2))
    assert len(second.context["results"]["rows"]) == 5
    assert not second.context["results"]["has_next"]
    assert client.get(people_url(page="x")).context["results"]["page"] == 1


def test_only_a_free_text_search_is_audited_and_without_the_text(
    client: Client, organizer: User, action_now: Organization
) -> None:
    add_supporter(action_now, "Ana")
    login(client, organizer)
    client.get(people_url(zip="606"))
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.SEARCHED).exists()
    client.get(people_url(q="ana", zip="606"))
    event = AuditEvent.objects.get(action=AuditEvent.Action.SEARCHED)
    assert event.organization == action_now and event.user == organizer
    assert "ana" not in event.detail.lower().replace("zip", "")
    assert event.detail == "q; zip=606"


def test_a_saved_query_runs_again_and_a_stale_one_matches_no_one(
    action_now: Organization,
) -> None:
    add_supporter(action_now, "Ana", zip_code="60608")
    add_supporter(action_now, "Ben", zip_code="53703")
    assert [s.first_name for s in search(action_now, {"zip": "606"})] == ["Ana"]
    assert list(search(action_now, {"tag": 424242})) == []


def test_people_area_needs_a_login_and_a_role(
    client: Client, outsider: User, action_now: Organization
) -> None:
    response = client.get(people_url())
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert login(client, outsider).get(people_url()).status_code == 403
