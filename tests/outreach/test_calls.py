"""“I called”: the script with the office's number, and the call counted per office."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from groundswell.outreach import actions, results
from groundswell.outreach.models import Call, OutreachAction
from tests.outreach.conftest import Council, call_post

pytestmark = pytest.mark.django_db


def call_url(action: OutreachAction) -> str:
    return f"/act/{action.slug}/call"


def test_the_page_shows_the_script_and_the_number_to_call(
    client: Client, action: OutreachAction, council: Council
) -> None:
    html = client.get(f"/act/{action.slug}/?office={council.home.pk}").content.decode()
    assert 'href="tel:312-555-0125"' in html
    assert "I ask the alderperson to co-sponsor ECPS" in html
    assert "I called" in html


def test_a_call_is_recorded_and_counted_per_office(
    client: Client, action: OutreachAction, council: Council
) -> None:
    response = client.post(call_url(action), call_post(council.home))
    assert response.status_code == 303
    assert response["Location"] == f"/act/{action.slug}/thanks"
    client.post(call_url(action), call_post(council.home, outcome="spoke"))
    client.post(call_url(action), call_post(council.elsewhere, outcome="no_answer"))
    rows = {row.office.pk: row for row in results.by_office(action)}
    assert rows[council.home.pk].calls == {"voicemail": 1, "spoke": 1}
    assert rows[council.home.pk].call_total == 2
    assert rows[council.elsewhere.pk].call_cells == [0, 0, 1]


def test_a_call_without_how_it_went_is_refused(
    client: Client, action: OutreachAction, council: Council
) -> None:
    response = client.post(call_url(action), call_post(council.home, outcome="maybe"))
    assert response.status_code == 400
    assert "Nothing was recorded" in response.content.decode()
    assert not Call.objects.exists()


def test_calls_count_against_the_networks_limit(
    client: Client, action: OutreachAction, council: Council, settings: Any
) -> None:
    settings.OUTREACH_RATE_IP = (1, 3600)
    assert client.post(call_url(action), call_post(council.home)).status_code == 303
    assert client.post(call_url(action), call_post(council.home)).status_code == 429
    assert Call.objects.count() == 1


def test_an_action_without_calls_takes_none(
    client: Client, action: OutreachAction, council: Council
) -> None:
    actions.update_action(action, by_call=False)
    assert client.post(call_url(action), call_post(council.home)).status_code == 404
    assert not Call.objects.exists()
