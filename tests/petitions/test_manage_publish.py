"""Previewing, publishing, closing and reopening a petition."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from groundswell.accounts.models import User
from groundswell.petitions import actions
from groundswell.petitions.models import Petition, PetitionCount, Status
from tests.conftest import login

pytestmark = pytest.mark.django_db


def url(name: str, petition: Petition, org: str = "action-now") -> str:
    return reverse(f"petitions_manage:{name}", args=[org, petition.slug])


def status_of(petition: Petition) -> str:
    petition.refresh_from_db()
    return petition.status


def test_publishing_a_draft_opens_it_for_signatures(
    client: Client, organizer: User, draft_petition: Petition
) -> None:
    response = login(client, organizer).post(url("publish", draft_petition))

    assert response.status_code == 303
    assert response["Location"] == url("dashboard", draft_petition)
    draft_petition.refresh_from_db()
    assert draft_petition.status == Status.OPEN
    assert draft_petition.published_at is not None
    assert PetitionCount.objects.filter(petition=draft_petition).exists()
    page = client.get(response["Location"]).content.decode()
    assert "is published and takes signatures" in page


def test_publishing_twice_says_so_and_changes_nothing(
    client: Client, organizer: User, petition: Petition
) -> None:
    published_at = petition.published_at
    response = login(client, organizer).post(url("publish", petition), follow=True)

    assert "already published" in response.content.decode()
    petition.refresh_from_db()
    assert petition.published_at == published_at


def test_a_draft_whose_deadline_has_passed_is_not_published(
    client: Client, organizer: User, draft_petition: Petition
) -> None:
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Petition.objects.filter(pk=draft_petition.pk).update(deadline=yesterday)

    response = login(client, organizer).post(url("publish", draft_petition), follow=True)

    assert "The deadline has passed" in response.content.decode()
    assert status_of(draft_petition) == Status.DRAFT


def test_status_changes_need_a_post(
    client: Client, organizer: User, draft_petition: Petition
) -> None:
    login(client, organizer)
    for name in ("publish", "close", "reopen"):
        assert client.get(url(name, draft_petition)).status_code == 405
    assert status_of(draft_petition) == Status.DRAFT


def test_status_changes_need_the_csrf_token(organizer: User, draft_petition: Petition) -> None:
    client = login(Client(enforce_csrf_checks=True), organizer)

    assert client.post(url("publish", draft_petition)).status_code == 403
    assert status_of(draft_petition) == Status.DRAFT


def test_closing_stops_signatures_and_reopening_resumes_them(
    client: Client, organizer: User, petition: Petition
) -> None:
    login(client, organizer)

    response = client.post(url("close", petition), follow=True)
    assert "is closed" in response.content.decode()
    petition.refresh_from_db()
    assert petition.status == Status.CLOSED
    assert petition.closed_at is not None

    response = client.post(url("reopen", petition), follow=True)
    assert "open for signatures again" in response.content.decode()
    petition.refresh_from_db()
    assert petition.status == Status.OPEN
    assert petition.closed_at is None


def test_only_an_open_petition_closes_and_only_a_closed_one_reopens(
    client: Client, organizer: User, draft_petition: Petition
) -> None:
    login(client, organizer)

    assert (
        "Only an open petition"
        in client.post(url("close", draft_petition), follow=True).content.decode()
    )
    assert (
        "Only a closed petition"
        in client.post(url("reopen", draft_petition), follow=True).content.decode()
    )
    assert status_of(draft_petition) == Status.DRAFT


def test_an_organizer_of_another_organization_gets_403_and_nothing_changes(
    client: Client, outsider: User, draft_petition: Petition, petition: Petition
) -> None:
    login(client, outsider)

    assert client.post(url("publish", draft_petition)).status_code == 403
    assert client.post(url("close", petition)).status_code == 403
    assert client.post(url("publish", draft_petition, "elsewhere")).status_code == 404
    assert status_of(petition) == Status.OPEN


def test_a_co_sponsor_organizer_cannot_change_the_status(
    client: Client, ocad_organizer: User, petition: Petition
) -> None:
    login(client, ocad_organizer)

    assert client.post(url("close", petition, "ocad")).status_code == 403
    assert client.post(url("close", petition)).status_code == 403
    assert status_of(petition) == Status.OPEN


def test_the_preview_shows_a_draft_with_its_texts_rendered_safely(
    client: Client, organizer: User, draft_petition: Petition
) -> None:
    actions.update_petition(
        draft_petition,
        why="Read [the report](https://example.org/report).<script>alert(1)</script>",
        ask_es="1. Aprueben las enmiendas.",
    )
    response = login(client, organizer).get(url("preview", draft_petition))

    html = response.content.decode()
    assert response.status_code == 200
    assert "It is not published" in html
    assert "<li>Pass the amendments to the Welcoming City Ordinance.</li>" in html
    assert '<a href="https://example.org/report"' in html
    assert "<script>alert" not in html
    assert 'lang="es"' in html and "Aprueben las enmiendas" in html
    assert "Mayor Rahm Emanuel" in html


def test_a_co_sponsor_organizer_may_preview_but_an_outsider_may_not(
    client: Client, ocad_organizer: User, outsider: User, draft_petition: Petition
) -> None:
    assert (
        login(client, ocad_organizer).get(url("preview", draft_petition, "ocad")).status_code == 200
    )
    assert login(client, outsider).get(url("preview", draft_petition)).status_code == 403
