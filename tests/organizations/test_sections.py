"""An organization's pages and the organizer menu are put together from what each app
registers (organizations.sections, core.navigation): organizations name no higher app."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from groundswell.accounts.models import User
from groundswell.organizations import sections
from groundswell.organizations.models import Membership, Organization, Role
from groundswell.petitions import actions as petition_actions
from groundswell.petitions.models import Petition
from tests.conftest import answerer_of, login, make_organizer

pytestmark = pytest.mark.django_db


def _menu(html: str) -> list[str]:
    """The organizer menu's link texts, in order."""
    nav = re.search(r'<nav aria-label="(?:Manage|Administrar) [^"]*">(.*?)</nav>', html, re.S)
    assert nav, html
    return [re.sub(r"\s+", " ", text).strip() for text in re.findall(r"<a [^>]*>(.*?)</a>", nav[1])]


def test_the_menu_shows_each_role_its_links_in_order(
    client: Client, action_now: Organization, organizer: User, owner: User
) -> None:
    login(client, organizer)
    page = client.get("/manage/action-now/").content.decode()
    menu = _menu(page)
    expected = [
        "Overview",
        "People",
        "Campaigns",
        "Events",
        "Volunteers",
        "Legislation",
        "Staff",
        "Coalitions",
        "Public page",
    ]
    # Each app's link, in the order they registered (others may sit between them).
    assert [label for label in menu if label in expected] == expected
    assert menu[0] == "Overview" and menu[-1] == "Public page"
    assert not {"Settings", "API", "Webhooks", "Access rules"} & set(menu)
    assert 'aria-current="page">Overview' in page

    login(client, owner)
    menu = _menu(client.get("/manage/action-now/").content.decode())
    assert menu[-6:] == ["Coalitions", "Settings", "API", "Webhooks", "Access rules", "Public page"]


def test_a_page_marks_its_own_link_current(
    client: Client, action_now: Organization, owner: User
) -> None:
    login(client, owner)
    page = client.get("/manage/action-now/api/webhooks/").content.decode()
    assert re.search(r'aria-current="page">Webhooks<', page)
    page = client.get("/manage/action-now/legislation/").content.decode()
    assert re.search(r'aria-current="page">Legislation<', page)


def test_the_menu_speaks_the_organizers_language(
    client: Client, action_now: Organization, organizer: User
) -> None:
    login(client, organizer)
    page = client.get("/manage/action-now/", headers={"accept-language": "es"})
    menu = _menu(page.content.decode())
    assert menu[0] == "Resumen" and "Personas" in menu and "Coaliciones" in menu


def test_a_coalition_names_its_members_link_for_itself(
    client: Client, action_now: Organization
) -> None:
    coalition = Organization.objects.create(name="ECPS Coalition", slug="ecps", is_coalition=True)
    login(client, make_organizer("lead@ecps.example", coalition, Role.OWNER))
    assert "Coalition members" in _menu(client.get("/manage/ecps/").content.decode())


def test_the_public_page_shows_each_apps_part(
    client: Client, petition: Petition, action_now: Organization, ocad: Organization
) -> None:
    owner_page = client.get("/orgs/action-now/").content.decode()
    assert "Volunteer here" in owner_page
    assert owner_page.index("Volunteer here") < owner_page.index('id="petitions-heading"')
    assert petition.display_title in owner_page.split('id="petitions-heading"', 1)[1]

    sponsor_page = client.get("/orgs/ocad/").content.decode()
    assert "Co-sponsored petitions" in sponsor_page
    assert petition.display_title in sponsor_page.split("Co-sponsored petitions", 1)[1]


def test_a_draft_is_on_the_overview_but_not_the_public_page(
    client: Client, draft_petition: Petition, owner: User
) -> None:
    assert draft_petition.display_title not in client.get("/orgs/action-now/").content.decode()
    login(client, owner)
    overview = client.get("/manage/action-now/").content.decode()
    assert draft_petition.display_title in overview
    assert "<strong>1</strong> petition" in overview


class Broken:
    name = "broken"
    order = 1

    def public(self, organization: Organization, request: Any) -> None:
        raise RuntimeError("a provider's own bug")

    def manage(self, membership: Membership, request: Any) -> None:
        raise RuntimeError("a provider's own bug")

    def waiting(self, membership: Membership) -> list[sections.Waiting]:
        raise RuntimeError("a provider's own bug")


def test_a_failing_part_is_left_out_and_the_rest_shown(
    client: Client,
    petition: Petition,
    owner: User,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setitem(sections._providers, "broken", Broken())
    page = client.get("/orgs/action-now/")
    assert page.status_code == 200 and petition.display_title in page.content.decode()
    login(client, owner)
    overview = client.get("/manage/action-now/")
    assert overview.status_code == 200 and petition.display_title in overview.content.decode()
    assert "organization section broken failed" in caplog.text


def test_what_waits_for_an_answer_links_to_where_it_is_given(
    client: Client, draft_petition: Petition, action_now: Organization
) -> None:
    elsewhere = Organization.objects.create(name="Elsewhere Alliance", slug="elsewhere")
    petition_actions.invite_sponsor(draft_petition, elsewhere, by=None)
    login(client, answerer_of(elsewhere).user)
    page = client.get("/manage/elsewhere/").content.decode()
    assert "Waiting for your answer" in page
    assert 'href="/manage/elsewhere/petitions/sponsorships/"' in page or "sponsorships" in page
    assert "An invitation to co-sponsor a petition" in page


def test_the_site_menu_for_visitors_and_organizers(client: Client, organizer: User) -> None:
    page = client.get("/").content.decode()
    for label in ("Petitions", "Campaigns", "Events", "City Council", "Organizer login"):
        assert f">{label}</a>" in page, label
    assert "Log out" not in page
    assert 'href="/people/my-data/"' in page

    login(client, organizer)
    page = client.get("/").content.decode()
    assert ">Manage</a>" in page and ">Organizer login</a>" not in page
    assert re.search(r'<form method="post" action="/accounts/logout/"[^>]*>', page)


def test_error_pages_link_through_the_registry(client: Client, organizer: User) -> None:
    with translation.override("en"):
        missing = client.get("/no-such-page/")
    assert missing.status_code == 404 and "See open petitions" in missing.content.decode()
