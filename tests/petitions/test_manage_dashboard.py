"""A petition's dashboard and the organization's list of petitions."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization
from groundswell.petitions import actions, counts
from groundswell.petitions.models import DailyCount, Petition
from tests.conftest import login

pytestmark = pytest.mark.django_db


def dashboard_url(petition: Petition, org: str = "action-now") -> str:
    return reverse("petitions_manage:dashboard", args=[org, petition.slug])


def sign(petition: Petition, name: str, *, source: str = "", verify: bool = True) -> None:
    email = f"{name.lower()}@example.org"
    signature = actions.record_signature(
        petition,
        first_name=name,
        last_name="Signer",
        email=email,
        email_normalized=email,
        zip_code="60608",
        source=source,
    ).signature
    if verify:
        actions.verify_signature(actions.verification_token(signature))


def test_the_owner_sees_verified_pending_and_total_counts_and_the_goal(
    client: Client, organizer: User, petition: Petition, drain: Any
) -> None:
    sign(petition, "Ana")
    sign(petition, "Ben", source="facebook")
    sign(petition, "Cat", source="facebook", verify=False)
    drain()

    html = login(client, organizer).get(dashboard_url(petition)).content.decode()

    assert "<strong>2</strong> verified" in html
    assert "<strong>1</strong> waiting for email confirmation" in html
    assert "<strong>3</strong> in all" in html
    assert "<strong>1,000</strong> next goal" in html


def test_the_dashboard_draws_signatures_per_day_and_by_source_with_tables(
    client: Client, organizer: User, petition: Petition, drain: Any
) -> None:
    sign(petition, "Ana")
    sign(petition, "Ben", source="facebook")
    drain()

    html = login(client, organizer).get(dashboard_url(petition)).content.decode()

    assert html.count('role="img"') == 2
    assert "<title>Signatures per day, last 30 days</title>" in html
    assert "<title>Signatures by source</title>" in html
    assert '<th scope="row">direct</th>' in html
    assert '<th scope="row">Facebook</th>' in html  # sources read by name (petitions.sharing)
    assert 'class="table-wrap"' in html


def test_milestones_are_listed_with_the_day_they_were_reached(
    client: Client, organizer: User, petition: Petition
) -> None:
    three_days_ago = timezone.localdate() - datetime.timedelta(days=3)
    DailyCount.objects.create(
        petition=petition, day=three_days_ago, source="", total=1300, verified=1200
    )
    counts.refresh_totals([petition.pk])

    html = login(client, organizer).get(dashboard_url(petition)).content.decode()

    assert "1,000 signatures reached on" in html
    assert "<strong>2,500</strong> next goal" in html


def test_a_draft_never_counted_shows_zeros(
    client: Client, organizer: User, draft_petition: Petition
) -> None:
    response = login(client, organizer).get(dashboard_url(draft_petition))

    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>0</strong> verified" in html
    assert "No signatures in the last 30 days." in html
    assert reverse("petitions_manage:publish", args=["action-now", draft_petition.slug]) in html


def test_the_owner_gets_the_tools_to_change_the_petition(
    client: Client, organizer: User, petition: Petition
) -> None:
    html = login(client, organizer).get(dashboard_url(petition)).content.decode()

    for name in ("edit", "close", "victory", "update_create", "response_create", "export"):
        assert reverse(f"petitions_manage:{name}", args=["action-now", petition.slug]) in html


def test_a_co_sponsor_organizer_sees_the_dashboard_read_only(
    client: Client, ocad_organizer: User, petition: Petition
) -> None:
    response = login(client, ocad_organizer).get(dashboard_url(petition, "ocad"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "You co-sponsor it" in html
    assert reverse("petitions_manage:export", args=["ocad", petition.slug]) in html
    for name in ("edit", "close", "victory", "update_create", "response_create"):
        assert reverse(f"petitions_manage:{name}", args=["ocad", petition.slug]) not in html
    main = html.split('<main id="main"')[1].split("</main>")[0]
    assert "<form" not in main  # no status buttons


def test_an_organizer_of_another_organization_gets_403(
    client: Client, outsider: User, petition: Petition
) -> None:
    login(client, outsider)

    assert client.get(dashboard_url(petition)).status_code == 403
    assert client.get(dashboard_url(petition, "elsewhere")).status_code == 404


def test_a_visitor_who_is_not_signed_in_is_sent_to_log_in(
    client: Client, petition: Petition
) -> None:
    response = client.get(dashboard_url(petition))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_the_dashboard_is_never_cached_by_a_shared_proxy(
    client: Client, organizer: User, petition: Petition
) -> None:
    response = login(client, organizer).get(dashboard_url(petition))

    assert "private" in response["Cache-Control"]


def test_the_list_shows_the_petitions_an_organization_owns_or_co_sponsors(
    client: Client,
    ocad_organizer: User,
    petition: Petition,
    other_org: Organization,
    owner: User,
) -> None:
    actions.create_petition(
        owner=other_org,
        created_by=owner,
        targets=[{"name": "Someone"}],
        slug="unrelated",
        title="Unrelated petition",
        ask="1. Something.",
    )
    html = (
        login(client, ocad_organizer)
        .get(reverse("petitions_manage:list", args=["ocad"]))
        .content.decode()
    )

    assert petition.title in html
    assert "you co-sponsor" in html
    assert "Unrelated petition" not in html
    assert reverse("petitions_manage:create", args=["ocad"]) in html


def test_every_organizer_page_opens_in_spanish(
    client: Client, organizer: User, petition: Petition
) -> None:
    login(client, organizer).cookies["gs_language"] = "es"
    names = ["dashboard", "edit", "preview", "victory", "update_create", "response_create"]
    urls = [
        reverse(f"petitions_manage:{name}", args=["action-now", petition.slug]) for name in names
    ]
    urls += [
        reverse(f"petitions_manage:{name}", args=["action-now"]) for name in ("list", "create")
    ]

    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<html lang="es">' in response.content.decode(), url
