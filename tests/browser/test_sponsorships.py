"""Invitations between organizations, in a real browser: the owner of an organization
named as co-sponsor (or invited into a coalition) finds the invitation from its overview,
reads it and accepts; only then does its name show. Each page passes axe-core and fits a
phone."""

from __future__ import annotations

from typing import Any

import pytest

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization, Role
from groundswell.petitions import actions
from tests.browser.conftest import assert_accessible, assert_fits
from tests.conftest import PASSWORD, make_organizer

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page: Any, site: Any, user: User) -> None:
    page.goto(f"{site.url}/accounts/login/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/manage/")


def check(page: Any) -> None:
    assert_accessible(page)
    assert_fits(page)


def test_the_invited_owner_accepts_to_co_sponsor_from_the_overview(
    phone: Any, site: Any, owner: User, action_now: Organization, ocad: Organization
) -> None:
    olga = make_organizer("olga@ocad.example", ocad, Role.OWNER)
    petition = actions.create_petition(
        owner=action_now,
        created_by=owner,
        sponsors=[ocad],
        targets=[{"name": "Brandon Johnson", "title": "Mayor"}],
        slug="peacekeepers",
        title="Fund the Peacekeepers",
        ask="1. Fund the Peacekeepers program fully.",
    )
    actions.publish(petition)
    phone.goto(f"{site.url}/petitions/peacekeepers/")
    assert phone.locator(".sponsors").get_by_text(ocad.name).count() == 0

    log_in(phone, site, olga)
    phone.goto(f"{site.url}/manage/ocad/")
    check(phone)
    phone.get_by_role("link", name="An invitation to co-sponsor a petition").click()
    phone.wait_for_url("**/manage/ocad/petitions/sponsorships/")
    phone.get_by_text("Fund the Peacekeepers program fully.").wait_for()
    check(phone)
    phone.get_by_role("button", name="Co-sponsor it").click()

    phone.wait_for_url("**/manage/ocad/petitions/peacekeepers/")
    phone.get_by_text("now co-sponsors “Fund the Peacekeepers”").wait_for()
    check(phone)
    phone.goto(f"{site.url}/manage/ocad/petitions/sponsorships/")
    phone.get_by_text("No invitation is waiting.").wait_for()
    check(phone)
    phone.goto(f"{site.url}/petitions/peacekeepers/")
    assert phone.locator(".sponsors").get_by_role("link").count() == 2  # owner and OCAD
    assert phone.get_by_label(ocad.name, exact=False).count() >= 1  # its consent box


def test_a_coalition_invites_and_the_member_owner_accepts(
    phone: Any, site: Any, owner: User, action_now: Organization
) -> None:
    coalition = Organization.objects.create(
        name="Chicago Sanctuary Coalition", slug="sanctuary", is_coalition=True
    )
    tess = make_organizer("tess@sanctuary.example", coalition, Role.OWNER)

    log_in(phone, site, tess)
    phone.goto(f"{site.url}/manage/sanctuary/coalition/")
    check(phone)
    phone.get_by_label("Organization's short name").fill("action-now")
    phone.get_by_role("button", name="Send the invitation").click()
    phone.get_by_text("Action Now is invited.").wait_for()
    check(phone)
    assert list(coalition.members.all()) == []
    phone.context.clear_cookies()

    log_in(phone, site, owner)
    phone.goto(f"{site.url}/manage/action-now/")
    phone.get_by_role("link", name="An invitation to join a coalition").click()
    phone.wait_for_url("**/manage/action-now/coalition/")
    check(phone)
    phone.get_by_role("button", name="Join Chicago Sanctuary Coalition").click()
    phone.get_by_text("Action Now is now a member of Chicago Sanctuary Coalition.").wait_for()
    check(phone)
    assert [o.slug for o in coalition.members.all()] == ["action-now"]


def test_the_invited_owner_becomes_a_campaign_partner_in_spanish(
    browser: Any, site: Any, owner: User, action_now: Organization, ocad: Organization
) -> None:
    from groundswell.campaigns import actions as campaign_actions
    from groundswell.campaigns.models import Campaign
    from tests.browser.conftest import new_page

    olga = make_organizer("olga@ocad.example", ocad, Role.OWNER)
    campaign_actions.create_campaign(
        owner=action_now,
        created_by=owner,
        partners=[ocad],
        slug="fair-contract",
        title="A Fair Police Contract",
        summary="Fourteen points of tension in the police contract.",
        status=Campaign.Status.ACTIVE,
    )
    phone = new_page(browser, locale="es-ES", width=360)
    try:
        phone.goto(f"{site.url}/campaigns/fair-contract/")
        assert phone.get_by_text(ocad.name).count() == 0

        phone.goto(f"{site.url}/accounts/login/")
        phone.fill("#id_username", olga.email)
        phone.fill("#id_password", PASSWORD)
        phone.locator("form button[type=submit]").last.click()
        phone.wait_for_url("**/manage/")
        phone.goto(f"{site.url}/manage/ocad/")
        check(phone)
        phone.get_by_role("link", name="Una invitación a ser aliada en una campaña").click()
        phone.wait_for_url("**/manage/ocad/campaigns/partnerships/")
        phone.get_by_text("Fourteen points of tension").wait_for()
        check(phone)
        phone.get_by_role("button", name="Ser aliada").click()
        phone.wait_for_url("**/manage/ocad/campaigns/fair-contract/")
        check(phone)
        phone.goto(f"{site.url}/campaigns/fair-contract/")
        assert phone.get_by_text(ocad.name).count() >= 1
    finally:
        phone.close()
