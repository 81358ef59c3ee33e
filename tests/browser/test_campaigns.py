"""Campaigns in a browser: an organization's endorsement sent, confirmed from the email,
approved by the campaign's organizer and shown; every campaign page on a phone.

Expected texts come from the translation catalog (gettext in the test), so the Spanish
run checks whatever Spanish the catalog holds and never a hard-coded copy of it."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext, ngettext
from PIL import Image

from groundswell.accounts.models import User
from groundswell.campaigns import actions
from groundswell.campaigns.models import Campaign, DemandStatus, Endorsement, EndorsementState
from groundswell.core import worker
from groundswell.organizations.models import Organization
from tests.browser.conftest import assert_accessible, assert_fits, new_page
from tests.campaigns.conftest import DEMANDS, partner_in
from tests.conftest import PASSWORD
from tests.smtp import Mailbox

pytestmark = pytest.mark.django_db(transaction=True)

LINK = re.compile(r"https?://\S+/campaigns/verify/\S+/")


def texts(locale: str) -> dict[str, str]:
    with translation.override(locale[:2]):
        return {
            "check": gettext("Check your email"),
            "confirm": gettext("Confirm our endorsement"),
            "confirmed": gettext("Your endorsement is confirmed"),
            "login": gettext("Log in"),
            "endorsing": ngettext(
                "%(counter)s organization endorses", "%(counter)s organizations endorse", 1
            )
            % {"counter": 1},
        }


def logo_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), "darkgreen").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def running(action_now: Organization, ocad: Organization, owner: User) -> Campaign:
    campaign = actions.create_campaign(
        owner=action_now,
        created_by=owner,
        partners=[ocad],
        demands=DEMANDS,
        slug="police-contract-accountability",
        title="Police Contract Accountability",
        summary="We found 14 points of tension in the police contract.",
        goal="Stop unanimous approval of the FOP contract.",
        status=Campaign.Status.ACTIVE,
    )
    partner_in(campaign, ocad)
    first = campaign.demands.first()
    assert first is not None
    actions.change_demand(
        first,
        status=DemandStatus.IN_PROGRESS,
        changed_by=owner,
        evidence_url="https://example.org/council",
        note="Introduced to the City Council and waiting for a vote.",
    )
    return campaign


@pytest.mark.parametrize("locale", ["en-US", "es-US"])
def test_an_endorsement_is_verified_approved_and_shown(
    browser: Any, site: Any, mailbox: Mailbox, running: Campaign, organizer: User, locale: str
) -> None:
    text = texts(locale)
    phone = new_page(browser, locale=locale, width=360)
    phone.goto(f"{site.url}/campaigns/{running.slug}/endorse/")
    assert phone.locator("html").get_attribute("lang") == locale[:2]
    assert_accessible(phone)
    assert_fits(phone)
    phone.fill("#id_organization_name", "Southwest Organizing Project")
    phone.fill("#id_website", "https://swop.example")
    phone.set_input_files(
        "#id_logo", files=[{"name": "swop.png", "mimeType": "image/png", "buffer": logo_png()}]
    )
    phone.fill("#id_statement", "Our members stand with Action Now.")
    phone.fill("#id_contact_name", "Omar Haddad")
    phone.fill("#id_contact_email", "omar@swop.example")
    phone.check("#id_consent")
    phone.click("form.endorse-form button[type=submit]")
    phone.get_by_role("heading", name=text["check"]).wait_for()
    endorsement = Endorsement.objects.get()
    assert endorsement.language == locale[:2]

    worker.drain()
    [message] = mailbox.wait_for(1)
    link = LINK.search(Mailbox.text(message))
    assert link is not None, Mailbox.text(message)
    phone.goto(link.group(0))
    assert_accessible(phone)
    assert Endorsement.objects.get().state == EndorsementState.PENDING
    phone.get_by_role("button", name=text["confirm"]).click()
    phone.get_by_role("heading", name=text["confirmed"]).wait_for()
    assert Endorsement.objects.get().state == EndorsementState.VERIFIED

    # The owner's organizer approves it from the campaign's dashboard.
    page = new_page(browser, locale=locale)
    page.goto(f"{site.url}/accounts/login/")
    page.fill("#id_username", organizer.email)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name=text["login"]).click()
    page.wait_for_url(re.compile("/manage/"))
    page.goto(f"{site.url}/manage/action-now/campaigns/{running.slug}/")
    assert_accessible(page)
    page.click("form[action*='/moderate/'] button[value=approve]")
    page.wait_for_load_state()
    assert Endorsement.objects.get().state == EndorsementState.APPROVED
    page.context.close()

    phone.goto(f"{site.url}/campaigns/{running.slug}/")
    heading = phone.locator("#endorsements-heading")
    assert heading.inner_text().strip() == text["endorsing"]
    assert phone.locator(".endorsers").get_by_text("Southwest Organizing Project").is_visible()
    logo = phone.locator(".endorsers img")
    # The logo may load lazily, and only once scrolled to: wait until it has loaded.
    logo.scroll_into_view_if_needed()
    phone.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=logo.element_handle()
    )
    assert_accessible(phone)
    assert_fits(phone)
    phone.context.close()


def test_campaign_pages_are_accessible_on_a_phone(
    phone: Any, site: Any, running: Campaign, organizer: User
) -> None:
    approved = actions.record_endorsement(
        running,
        organization_name="Hana Center",
        contact_name="Jiwoo Park",
        contact_email="jiwoo@hana.example",
        statement="We endorse.",
    ).endorsement
    assert approved is not None
    actions.verify_endorsement(actions.verification_token(approved))
    actions.moderate_endorsement(approved, approve=True, by=organizer)
    for path in [
        "/campaigns/",
        f"/campaigns/{running.slug}/",
        f"/campaigns/{running.slug}/endorse/",
        "/orgs/action-now/",
    ]:
        phone.goto(f"{site.url}{path}")
        assert_accessible(phone)
        assert_fits(phone)
    phone.goto(f"{site.url}/accounts/login/")
    phone.fill("#id_username", organizer.email)
    phone.fill("#id_password", PASSWORD)
    phone.click("form button[type=submit]")
    phone.wait_for_url(re.compile("/manage/"))
    demand = running.demands.first()
    assert demand is not None
    for path in [
        "/manage/action-now/campaigns/",
        f"/manage/action-now/campaigns/{running.slug}/",
        f"/manage/action-now/campaigns/{running.slug}/edit/",
        f"/manage/action-now/campaigns/{running.slug}/demands/{demand.pk}/status/",
        "/manage/action-now/campaigns/new/",
    ]:
        phone.goto(f"{site.url}{path}")
        assert_accessible(phone)
        assert_fits(phone)
