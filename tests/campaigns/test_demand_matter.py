"""A demand can name the ordinance or resolution on record that would meet it: the
organizer picks it on the demand form, and the public campaign page links it."""

from __future__ import annotations

import pytest
from django.test import Client

from groundswell.accounts.models import User
from groundswell.campaigns.models import Campaign, Demand
from groundswell.legislation.models import Matter
from tests.conftest import login

pytestmark = pytest.mark.django_db

BASE = "/manage/action-now/campaigns/"


@pytest.fixture
def matter(db: None) -> Matter:
    return Matter.objects.create(
        slug="o2023-0002065",
        record_number="O2023-0002065",
        title="Empowering Communities for Public Safety",
    )


def test_an_organizer_links_a_demand_to_a_matter_and_the_page_links_it(
    client: Client, organizer: User, campaign: Campaign, matter: Matter
) -> None:
    form = login(client, organizer).get(f"{BASE}{campaign.slug}/demands/new/")
    assert "O2023-0002065 Empowering Communities" in form.content.decode()

    response = client.post(
        f"{BASE}{campaign.slug}/demands/new/", {"title": "Pass ECPS", "matter": matter.pk}
    )

    assert response.status_code == 303
    demand = Demand.objects.get(title="Pass ECPS")
    assert demand.matter == matter
    page = Client().get(campaign.get_absolute_url()).content.decode()
    assert f'href="{matter.get_absolute_url()}"' in page


def test_editing_a_demand_keeps_or_clears_its_matter(
    client: Client, organizer: User, campaign: Campaign, matter: Matter
) -> None:
    demand = campaign.demands.first()
    assert demand is not None
    url = f"{BASE}{campaign.slug}/demands/{demand.pk}/"
    login(client, organizer).post(url, {"title": demand.title, "matter": matter.pk})
    assert Demand.objects.get(pk=demand.pk).matter == matter
    assert f'<option value="{matter.pk}" selected>' in client.get(url).content.decode()

    client.post(url, {"title": demand.title, "matter": ""})
    assert Demand.objects.get(pk=demand.pk).matter is None


def test_a_matter_that_does_not_exist_is_refused_and_changes_nothing(
    client: Client, organizer: User, campaign: Campaign
) -> None:
    before = Demand.objects.count()
    response = login(client, organizer).post(
        f"{BASE}{campaign.slug}/demands/new/", {"title": "Pass it", "matter": 999999}
    )
    assert response.status_code == 400
    assert "Pick a matter from the list." in response.content.decode()
    assert Demand.objects.count() == before
