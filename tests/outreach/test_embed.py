"""The embeddable “find your alderperson” box: framed only by the owner's listed websites
(the petition embeds' rule: CSP frame-ancestors instead of X-Frame-Options), no cookie,
in the language ?lang= asks for."""

from __future__ import annotations

import pytest
from django.test import Client

from groundswell.outreach.models import OutreachAction
from tests.outreach.conftest import HOME, Council

pytestmark = pytest.mark.django_db


def embed_url(action: OutreachAction) -> str:
    return f"/act/{action.slug}/embed/"


def test_only_the_owners_websites_may_frame_it(
    client: Client, action: OutreachAction, council: Council
) -> None:
    action.owner.embed_origins = "https://actionnow.example"
    action.owner.save()
    response = client.get(embed_url(action))
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'self' https://actionnow.example;" in policy
    assert "script-src 'self'" in policy
    assert not response.cookies


def test_the_actions_own_page_may_not_be_framed(
    client: Client, action: OutreachAction, council: Council
) -> None:
    response = client.get(f"/act/{action.slug}/")
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_the_box_finds_the_alderperson_and_links_to_write(
    client: Client, action: OutreachAction, council: Council
) -> None:
    response = client.post(embed_url(action), {"lat": HOME[0], "lon": HOME[1]})
    html = response.content.decode()
    assert response.status_code == 200
    assert council.home_holder.name in html
    assert f'href="/act/{action.slug}/?office={council.home.pk}"' in html
    assert 'target="_blank"' in html
    assert "frame-ancestors" in response["Content-Security-Policy"]


def test_the_box_in_spanish(client: Client, action: OutreachAction, council: Council) -> None:
    response = client.get(embed_url(action) + "?lang=es")
    assert response["Content-Language"] == "es"
    assert 'lang="es"' in response.content.decode()


def test_bad_input_in_the_box(client: Client, action: OutreachAction, council: Council) -> None:
    response = client.post(embed_url(action), {"street": "", "zip_code": ""})
    assert response.status_code == 400
    assert "Type your street address and ZIP code" in response.content.decode()
