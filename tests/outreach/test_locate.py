"""Finding your alderperson: from an address (a real HTTP geocoder on 127.0.0.1), from
a point, and every way it can fail, each said plainly and changing nothing."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from PIL import Image

from groundswell.legislation import actions as legislation
from groundswell.outreach import actions
from groundswell.outreach.models import OutreachAction, TargetKind
from tests.districts.conftest import GeocoderServer
from tests.outreach.conftest import ELSEWHERE, HOME, OUTSIDE, STREET, ZIP, Council

pytestmark = pytest.mark.django_db


def page(action: OutreachAction) -> str:
    return f"/act/{action.slug}/"


def test_an_address_finds_the_alderperson_of_its_ward(
    client: Client, action: OutreachAction, council: Council, geocoder: GeocoderServer
) -> None:
    response = client.post(page(action), {"street": STREET, "zip_code": ZIP})
    html = response.content.decode()
    assert response.status_code == 200
    assert council.home_holder.name in html
    assert f"Alderperson, Ward {council.home.number}" in html
    assert 'href="tel:312-555-0125"' in html
    assert f'name="office" value="{council.home.pk}"' in html
    assert "Please co-sponsor the ECPS ordinance" in html  # the suggested subject
    assert geocoder.asked[0].query["address"] == f"{STREET} {ZIP}"
    assert (
        response["Cache-Control"].startswith("private") or "no-store" in response["Cache-Control"]
    )


def test_a_point_from_the_phone_finds_the_ward_without_the_geocoder(
    client: Client, action: OutreachAction, council: Council
) -> None:
    response = client.post(page(action), {"lat": ELSEWHERE[0], "lon": ELSEWHERE[1]})
    assert response.status_code == 200
    assert f"Alderperson, Ward {council.elsewhere.number}" in response.content.decode()


def test_a_zip_code_alone_is_never_told_as_the_ward(
    client: Client, action: OutreachAction, council: Council, geocoder: GeocoderServer
) -> None:
    geocoder.behaviour = "empty"  # the geocoder does not know the street: the ZIP's point
    response = client.post(page(action), {"street": "Nowhere Lane", "zip_code": ZIP})
    html = response.content.decode()
    assert response.status_code == 200
    assert "We could only place your ZIP code" in html
    assert "full street address" in html
    assert council.home_holder.name not in html
    assert 'name="office"' not in html


def test_a_place_outside_every_ward_is_said_so(
    client: Client, action: OutreachAction, council: Council
) -> None:
    response = client.post(page(action), {"lat": OUTSIDE[0], "lon": OUTSIDE[1]})
    assert "outside every Chicago ward" in response.content.decode()
    assert 'name="office"' not in response.content.decode()


def test_an_address_nobody_can_place(
    client: Client, action: OutreachAction, council: Council, geocoder: GeocoderServer
) -> None:
    geocoder.behaviour = "empty"
    response = client.post(page(action), {"street": "1 Main St", "zip_code": "99999"})
    assert "We could not find this address" in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"street": STREET},
        {"street": STREET, "zip_code": "6060"},
        {"lat": "91", "lon": "-87.6"},
        {"lat": "41.8"},
        {"lat": "nan", "lon": "nan"},
    ],
)
def test_bad_input_gets_a_clear_message(
    client: Client, action: OutreachAction, council: Council, data: dict[str, str]
) -> None:
    response = client.post(page(action), data)
    assert response.status_code == 400
    assert "We could not look up this address." in response.content.decode()


def test_lookups_are_limited_per_network(
    client: Client, action: OutreachAction, council: Council, settings: Any
) -> None:
    settings.OUTREACH_LOCATE_RATE_IP = (2, 3600)
    point = {"lat": HOME[0], "lon": HOME[1]}
    assert client.post(page(action), point).status_code == 200
    assert client.post(page(action), point).status_code == 200
    response = client.post(page(action), point)
    assert response.status_code == 429
    assert "Too many lookups" in response.content.decode()


def test_an_action_to_the_mayor_needs_no_address(
    client: Client, action: OutreachAction, council: Council
) -> None:
    actions.update_action(action, target=TargetKind.MAYOR)
    html = client.get(page(action)).content.decode()
    assert "Jordan Mayor" in html
    assert 'name="street"' not in html
    assert f'name="office" value="{council.mayor.pk}"' in html


def test_the_embeds_write_link_opens_the_office_found(
    client: Client, action: OutreachAction, council: Council
) -> None:
    html = client.get(f"{page(action)}?office={council.home.pk}").content.decode()
    assert council.home_holder.name in html
    # An office the action does not write to is not shown.
    html = client.get(f"{page(action)}?office={council.mayor.pk}").content.decode()
    assert "Jordan Mayor" not in html


def test_a_draft_action_is_not_found(
    client: Client, action: OutreachAction, council: Council
) -> None:
    actions.update_action(action, published=False)
    assert client.get(page(action)).status_code == 404


def test_the_page_reads_in_spanish(
    client: Client, action: OutreachAction, council: Council
) -> None:
    html = client.get(page(action), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert 'lang="es"' in html


def test_only_an_uploaded_photo_is_shown(
    client: Client, action: OutreachAction, council: Council, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    holder = council.home_holder
    legislation.save_decision_maker(holder, photo_url="https://elsewhere.example/face.jpg")
    html = client.get(f"{page(action)}?office={council.home.pk}").content.decode()
    assert "elsewhere.example" not in html and 'class="office-photo"' not in html
    buffer = io.BytesIO()
    Image.new("RGB", (96, 96), "teal").save(buffer, "PNG")
    legislation.save_decision_maker(holder, photo=ContentFile(buffer.getvalue(), name="a.png"))
    html = client.get(f"{page(action)}?office={council.home.pk}").content.decode()
    assert re.search(r'<img class="office-photo" src="/media/decision-makers/[^"]+"', html)
