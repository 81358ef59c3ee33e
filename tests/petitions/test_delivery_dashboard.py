"""The dashboard's delivery section: each target's threshold and the days it has gone
without responding, the signers by ward (map and table), recording a delivery (on
the public timeline), and the map on the public page when the owner chooses."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from groundswell.accounts.models import User
from groundswell.legislation.demo import Loaded
from groundswell.petitions import actions
from groundswell.petitions.delivery import thresholds
from groundswell.petitions.models import Delivery, Petition, Target
from tests.conftest import login
from tests.petitions.delivery import address_to, alderperson, council, mayor, recount, sign

pytestmark = pytest.mark.django_db
__all__ = ["council"]


@pytest.fixture
def ward_petition(petition: Petition, council: Loaded) -> Petition:
    address_to(petition, mayor(), alderperson(3), threshold=2)
    petition.targets.filter(name="Brandon Johnson").update(response_threshold=10)
    sign(petition, "Ana", ward=3)
    sign(petition, "Beto", ward=3)
    sign(petition, "Cruz", ward=7)
    recount(petition)
    return petition


def dashboard(client: Client, petition: Petition, org: str = "action-now") -> str:
    url = reverse("petitions_manage:dashboard", args=[org, petition.slug])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def target(petition: Petition, name: str) -> Target:
    return petition.targets.get(name=name)


def test_a_threshold_reached_counts_the_days_without_a_response(ward_petition: Petition) -> None:
    later = timezone.localdate() + datetime.timedelta(days=5)

    states = {s.target.name: s for s in thresholds.target_states(ward_petition, 3, today=later)}

    alder = states["Ward 3 Alderperson"]
    assert alder.reached_on == timezone.localdate()
    assert alder.days_waiting == 5
    mayor_state = states["Brandon Johnson"]
    assert (mayor_state.reached, mayor_state.to_go, mayor_state.days_waiting) == (False, 7, None)


def test_a_delivery_starts_the_wait_and_a_response_ends_it(
    ward_petition: Petition, organizer: User
) -> None:
    the_mayor = target(ward_petition, "Brandon Johnson")
    ten_days_ago = timezone.localdate() - datetime.timedelta(days=10)
    actions.record_delivery(
        ward_petition,
        recorded_by=organizer,
        targets=[the_mayor],
        delivered_on=ten_days_ago,
        delivered_by="Maria and twelve members",
        method="in_person",
    )
    waiting = {s.target.name: s for s in thresholds.target_states(ward_petition, 3)}
    assert waiting["Brandon Johnson"].days_waiting == 10

    actions.record_response(
        ward_petition,
        recorded_by=organizer,
        target=the_mayor,
        body="We hear you.",
        email_signers=False,
    )
    answered = {s.target.name: s for s in thresholds.target_states(ward_petition, 3)}
    assert answered["Brandon Johnson"].responded_on == timezone.localdate()
    assert answered["Brandon Johnson"].days_waiting is None


def test_the_dashboard_shows_thresholds_the_ward_map_and_table(
    client: Client, organizer: User, ward_petition: Petition
) -> None:
    html = dashboard(login(client, organizer), ward_petition)

    assert "Not reached: 7 more verified signatures needed." in html
    assert "Reached on" in html and "0 days without a response." in html
    assert 'role="img"' in html and html.count("<path ") == 50
    assert "Ward 3: 2 verified signers" in html
    assert '<th scope="row">Ward 3</th><td>Ward 3 Alderperson' in html


def test_the_ward_page_is_open_to_co_sponsors_and_says_who_is_not_placed(
    client: Client, ocad_organizer: User, ward_petition: Petition
) -> None:
    url = reverse("petitions_manage:wards", args=["ocad", ward_petition.slug])
    html = login(client, ocad_organizer).get(url).content.decode()

    assert "Ward 7: 1 verified signer" in html
    assert "verified signers located by ZIP code, street or area only" in html


def test_recording_a_delivery_puts_it_on_the_public_timeline(
    client: Client, organizer: User, ward_petition: Petition
) -> None:
    url = reverse("petitions_manage:delivery_create", args=["action-now", ward_petition.slug])
    today = timezone.localdate()
    response = login(client, organizer).post(
        url,
        {
            "targets": [str(target(ward_petition, "Brandon Johnson").pk)],
            "delivered_on": today.isoformat(),
            "delivered_by": "  Maria   and twelve members ",
            "method": "in_person",
            "note": "We brought **3,000** signatures to City Hall.",
            "note_es": "Llevamos 3.000 firmas al Ayuntamiento.",
        },
    )

    assert response.status_code == 303
    delivery = Delivery.objects.get()
    assert delivery.delivered_by == "Maria and twelve members"
    client.logout()
    page = client.get(ward_petition.get_absolute_url()).content.decode()
    assert (
        "Delivered to Mayor Brandon Johnson on" in page
        and "by Maria and twelve members (in person)" in page
    )
    assert "<strong>3,000</strong>" in page
    spanish = client.get(ward_petition.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="es")
    assert "Llevamos 3.000 firmas" in spanish.content.decode()
    data = client.get(reverse("petitions:json", args=[ward_petition.slug])).json()
    assert data["deliveries"] == [
        {
            "delivered_on": today.isoformat(),
            "delivered_by": "Maria and twelve members",
            "method": "in_person",
            "to": ["Mayor Brandon Johnson"],
            "note": "We brought **3,000** signatures to City Hall.",
        }
    ]


def test_a_delivery_in_the_future_or_to_no_one_is_refused_and_nothing_changes(
    client: Client, organizer: User, ward_petition: Petition
) -> None:
    url = reverse("petitions_manage:delivery_create", args=["action-now", ward_petition.slug])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = login(client, organizer).post(
        url,
        {
            "targets": [],
            "delivered_on": tomorrow.isoformat(),
            "delivered_by": "Maria",
            "method": "email",
        },
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Tick at least one decision maker." in html
    assert "cannot be in the future" in html
    assert not Delivery.objects.exists()


def test_only_the_owner_records_deliveries(
    client: Client, ocad_organizer: User, outsider: User, ward_petition: Petition
) -> None:
    ocad_url = reverse("petitions_manage:delivery_create", args=["ocad", ward_petition.slug])
    assert login(client, ocad_organizer).get(ocad_url).status_code == 404
    other = reverse("petitions_manage:delivery_create", args=["elsewhere", ward_petition.slug])
    assert login(client, outsider).get(other).status_code == 404


def test_the_public_page_shows_the_ward_map_only_when_the_owner_chooses(
    client: Client, ward_petition: Petition
) -> None:
    assert 'id="ward-map"' not in client.get(ward_petition.get_absolute_url()).content.decode()

    actions.update_petition(ward_petition, show_ward_map=True)
    page = client.get(ward_petition.get_absolute_url()).content.decode()

    assert 'id="ward-map"' in page
    assert "Ward 3: 2 verified signers" in page
    assert "Ana" not in page.split('id="ward-map"')[1].split("</details>")[0]
