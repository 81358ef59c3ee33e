"""Recording a decision maker's response: /manage/<org>/petitions/<slug>/responses/new/."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from groundswell.accounts.models import User
from groundswell.petitions import actions
from groundswell.petitions.models import Petition, PetitionResponse
from tests.conftest import login

pytestmark = pytest.mark.django_db


def response_url(petition: Petition, org: str = "action-now") -> str:
    return reverse("petitions_manage:response_create", args=[org, petition.slug])


def response_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "target": "",
        "responder": "",
        "responded_on": timezone.localdate().isoformat(),
        "body": "The Mayor's office says the amendments will go to committee.",
        "body_es": "",
    }
    data.update(overrides)
    return data


def test_a_response_from_one_of_the_decision_makers_is_recorded(
    client: Client, organizer: User, petition: Petition
) -> None:
    mayor = petition.targets.get()
    response = login(client, organizer).post(
        response_url(petition), response_data(target=str(mayor.pk))
    )

    assert response.status_code == 303
    recorded = PetitionResponse.objects.get(petition=petition)
    assert recorded.target == mayor
    assert recorded.recorded_by == organizer
    assert recorded.who == "Mayor Rahm Emanuel"
    page = client.get(response["Location"]).content.decode()
    assert "The response is recorded" in page
    assert "Response from Mayor Rahm Emanuel" in page


def test_a_response_from_someone_else_is_recorded_under_their_name(
    client: Client, organizer: User, petition: Petition
) -> None:
    last_week = timezone.localdate() - datetime.timedelta(days=7)
    login(client, organizer).post(
        response_url(petition),
        response_data(responder="Office of the Mayor", responded_on=last_week.isoformat()),
    )

    recorded = PetitionResponse.objects.get(petition=petition)
    assert recorded.target is None
    assert recorded.who == "Office of the Mayor"
    assert recorded.responded_on == last_week


def test_the_form_offers_the_petitions_decision_makers(
    client: Client, organizer: User, petition: Petition
) -> None:
    html = login(client, organizer).get(response_url(petition)).content.decode()

    assert "Mayor Rahm Emanuel" in html
    assert '<label for="id_responder">' in html


def test_who_responded_is_required_once_and_only_once(
    client: Client, organizer: User, petition: Petition
) -> None:
    login(client, organizer)
    mayor = petition.targets.get()

    neither = client.post(response_url(petition), response_data())
    assert neither.status_code == 400
    assert "or type who did" in neither.content.decode()

    both = client.post(
        response_url(petition), response_data(target=str(mayor.pk), responder="Someone")
    )
    assert both.status_code == 400
    assert "not both" in both.content.decode()
    assert not PetitionResponse.objects.exists()


def test_a_response_dated_in_the_future_is_refused(
    client: Client, organizer: User, petition: Petition
) -> None:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = login(client, organizer).post(
        response_url(petition),
        response_data(responder="Alderman", responded_on=tomorrow.isoformat()),
    )

    assert response.status_code == 400
    assert "cannot be in the future" in response.content.decode()
    assert not PetitionResponse.objects.exists()


def test_a_decision_maker_of_another_petition_is_refused(
    client: Client, organizer: User, petition: Petition, action_now: Any
) -> None:
    other = actions.create_petition(
        owner=action_now,
        created_by=organizer,
        targets=[{"name": "Toni Preckwinkle"}],
        slug="cook-county",
        title="Cook County",
        ask="1. Act.",
    )
    response = login(client, organizer).post(
        response_url(petition), response_data(target=str(other.targets.get().pk))
    )

    assert response.status_code == 400
    assert not PetitionResponse.objects.exists()


def test_an_organizer_of_another_organization_gets_403_and_nothing_changes(
    client: Client, outsider: User, petition: Petition
) -> None:
    response = login(client, outsider).post(response_url(petition), response_data(responder="Fake"))

    assert response.status_code == 403
    assert not PetitionResponse.objects.exists()


def test_a_co_sponsor_organizer_cannot_record_a_response(
    client: Client, ocad_organizer: User, petition: Petition
) -> None:
    response = login(client, ocad_organizer).post(
        response_url(petition, "ocad"), response_data(responder="Alderman")
    )

    assert response.status_code == 403
    assert not PetitionResponse.objects.exists()
