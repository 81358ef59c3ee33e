"""Anonymous readers get a page rendered moments ago; nobody gets someone else's page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from groundswell.accounts.models import User
from groundswell.petitions import actions, counts
from groundswell.petitions.models import Petition
from tests.petitions.test_counts import add_signatures

pytestmark = pytest.mark.django_db


@pytest.fixture
def caching(settings: Any) -> None:
    settings.PAGE_CACHE_SECONDS = 60
    settings.COUNT_CACHE_SECONDS = 60


def test_an_anonymous_page_is_reused_until_it_expires(
    client: Client, petition: Petition, caching: None
) -> None:
    first = client.get(f"/petitions/{petition.slug}/").content.decode()
    add_signatures(petition, 30, verified=True)
    counts.recount(petition)
    assert client.get(f"/petitions/{petition.slug}/").content.decode() == first
    assert "30 have signed" not in first
    assert "30 have signed" in Client().get(f"/petitions/{petition.slug}/?x=1").content.decode()


def test_each_language_and_source_gets_its_own_page(
    client: Client, petition: Petition, caching: None
) -> None:
    english = client.get(f"/petitions/{petition.slug}/").content.decode()
    spanish = Client(headers={"accept-language": "es"}).get(f"/petitions/{petition.slug}/")
    assert '<html lang="es">' in spanish.content.decode() and '<html lang="en">' in english
    sourced = client.get(f"/petitions/{petition.slug}/?source=sms").content.decode()
    assert 'value="sms"' in sourced and 'value="sms"' not in english


def test_a_signed_in_organizer_never_gets_a_reused_page(
    client: Client, petition: Petition, owner: User, caching: None
) -> None:
    Client().get(f"/petitions/{petition.slug}/")
    client.force_login(owner)
    page = client.get(f"/petitions/{petition.slug}/")
    assert "Log out" in page.content.decode()
    assert "private" in page["Cache-Control"]


def test_a_message_meant_for_one_reader_is_never_served_to_another(
    client: Client, petition: Petition, owner: User, caching: None
) -> None:
    client.force_login(owner)
    # Closing leaves a "closed" message waiting; logging out leaves it in the cookie.
    client.post(f"/manage/action-now/petitions/{petition.slug}/close/")
    client.post("/accounts/logout/")
    mine = client.get(f"/petitions/{petition.slug}/").content.decode()
    assert "is closed. Its page stays up" in mine
    theirs = Client().get(f"/petitions/{petition.slug}/").content.decode()
    assert "is closed. Its page stays up" not in theirs


def test_count_json_is_reused_briefly(client: Client, petition: Petition, caching: None) -> None:
    assert client.get(f"/petitions/{petition.slug}/count.json").json()["count"] == 0
    actions.set_counts_unverified(petition, True)
    add_signatures(petition, 5, verified=False)
    counts.recount(petition)
    assert client.get(f"/petitions/{petition.slug}/count.json").json()["count"] == 0
    from django.core.cache import cache

    cache.clear()  # the second has passed
    assert client.get(f"/petitions/{petition.slug}/count.json").json()["count"] == 5
