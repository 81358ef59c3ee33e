"""Declaring victory: /manage/<org>/petitions/<slug>/victory/."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.petitions import actions
from groundswell.petitions.models import Petition, Status
from tests.conftest import login

pytestmark = pytest.mark.django_db


def victory_url(petition: Petition, org: str = "action-now") -> str:
    return reverse("petitions_manage:victory", args=[org, petition.slug])


def test_the_victory_form_asks_for_an_optional_note_in_both_languages(
    client: Client, organizer: User, petition: Petition
) -> None:
    response = login(client, organizer).get(victory_url(petition))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_note">' in html
    assert '<label for="id_note_es">' in html
    assert "csrfmiddlewaretoken" in html


def test_declaring_victory_marks_the_petition_won_with_its_notes(
    client: Client, organizer: User, petition: Petition
) -> None:
    response = login(client, organizer).post(
        victory_url(petition),
        {"note": "The City Council passed the ordinance!", "note_es": "¡Aprobaron la ordenanza!"},
    )

    assert response.status_code == 303
    petition.refresh_from_db()
    assert petition.status == Status.WON
    assert petition.won_at is not None
    assert petition.victory_note == "The City Council passed the ordinance!"
    assert petition.victory_note_es == "¡Aprobaron la ordenanza!"
    page = client.get(response["Location"]).content.decode()
    assert "now shows that it won" in page
    assert "The City Council passed the ordinance!" in page


def test_a_closed_petition_can_still_win_without_a_note(
    client: Client, organizer: User, petition: Petition
) -> None:
    actions.close(petition)
    login(client, organizer).post(victory_url(petition), {"note": "", "note_es": ""})

    petition.refresh_from_db()
    assert petition.status == Status.WON
    assert petition.victory_note == ""


def test_a_victory_note_is_shown_without_scripts(
    client: Client, organizer: User, petition: Petition
) -> None:
    login(client, organizer).post(
        victory_url(petition), {"note": "We won!<script>alert(1)</script>", "note_es": ""}
    )
    page = client.get(reverse("petitions_manage:dashboard", args=["action-now", petition.slug]))

    assert "We won!" in page.content.decode()
    assert "<script>alert" not in page.content.decode()


def test_a_draft_or_a_won_petition_cannot_declare_victory(
    client: Client, organizer: User, draft_petition: Petition
) -> None:
    login(client, organizer)
    response = client.post(victory_url(draft_petition), {"note": "Too soon"}, follow=True)

    assert "Only a published petition" in response.content.decode()
    draft_petition.refresh_from_db()
    assert draft_petition.status == Status.DRAFT

    actions.publish(draft_petition)
    actions.declare_victory(draft_petition, note="First")
    client.post(victory_url(draft_petition), {"note": "Second"})
    draft_petition.refresh_from_db()
    assert draft_petition.victory_note == "First"


def test_an_organizer_of_another_organization_gets_403_and_nothing_changes(
    client: Client, outsider: User, petition: Petition
) -> None:
    login(client, outsider)

    assert client.get(victory_url(petition)).status_code == 403
    assert client.post(victory_url(petition), {"note": "Hijacked"}).status_code == 403
    petition.refresh_from_db()
    assert petition.status == Status.OPEN
    assert petition.victory_note == ""


def test_a_co_sponsor_organizer_cannot_declare_victory(
    client: Client, ocad_organizer: User, petition: Petition
) -> None:
    login(client, ocad_organizer)

    assert client.post(victory_url(petition, "ocad"), {"note": "Ours"}).status_code == 403
    petition.refresh_from_db()
    assert petition.status == Status.OPEN
