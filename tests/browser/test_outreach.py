"""“Tell your alderperson” in a browser, on a 360-px phone, in English and Spanish: a
supporter finds their alderperson from their address (a real geocoder on 127.0.0.1),
sends them a message, confirms it from the email, and the office gets it (Reply-To the
supporter) with a copy to them; the organizer sees it counted for the ward.

Expected texts come from the translation catalog (gettext in the test), so the Spanish
run checks whatever Spanish the catalog holds and never a hard-coded copy of it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext

from groundswell.accounts.models import User
from groundswell.core import worker
from groundswell.outreach.models import MessageState, OfficeMessage, OutreachAction
from tests.browser.conftest import assert_accessible, assert_fits, new_page
from tests.conftest import PASSWORD
from tests.districts.conftest import geocoder_server, wards  # noqa: F401
from tests.outreach.conftest import (  # noqa: F401
    STREET,
    ZIP,
    Council,
    action,
    council,
    fresh_state,
    geocoder,
)
from tests.smtp import Mailbox

pytestmark = pytest.mark.django_db(transaction=True)

LINK = re.compile(r"https?://\S+/act/\S+/confirm/\S+/")


def texts(locale: str) -> dict[str, str]:
    with translation.override(locale[:2]):
        return {
            "find": gettext("Find my alderperson"),
            "send": gettext("Send my message"),
            "check": gettext("Check your email"),
            "confirm": gettext("Confirm and send"),
            "on_its_way": gettext("Your message is on its way"),
            "login": gettext("Log in"),
        }


@pytest.mark.parametrize("locale", ["en-US", "es-US"])
def test_a_supporter_finds_their_alderperson_and_writes_to_them(
    browser: Any,
    site: Any,
    mailbox: Mailbox,
    action: OutreachAction,  # noqa: F811
    council: Council,  # noqa: F811
    geocoder: Any,  # noqa: F811
    organizer: User,
    locale: str,
) -> None:
    text = texts(locale)
    phone = new_page(browser, locale=locale, width=360)
    phone.goto(f"{site.url}/act/{action.slug}/")
    assert phone.locator("html").get_attribute("lang") == locale[:2]
    assert_accessible(phone)
    assert_fits(phone)

    phone.fill("#id_street", STREET)
    phone.fill("#id_zip_code", ZIP)
    phone.get_by_role("button", name=text["find"]).click()
    phone.get_by_role("heading", name=council.home_holder.name).wait_for()
    assert phone.locator(f"a[href='tel:{council.home_holder.phone}']").count() >= 1
    assert_accessible(phone)
    assert_fits(phone)

    phone.fill("#id_name", "Lupe Ramos")
    phone.fill("#id_email", "lupe@example.org")
    phone.fill("#id_body", "I live on 18th Street. Please co-sponsor the ECPS ordinance.")
    phone.check("#id_consent")
    phone.get_by_role("button", name=text["send"]).click()
    phone.get_by_role("heading", name=text["check"]).wait_for()
    message = OfficeMessage.objects.get()
    assert message.state == MessageState.PENDING and message.language == locale[:2]

    worker.drain()
    [confirmation] = mailbox.wait_for(1)
    assert not mailbox.to(council.home_holder.email)
    link = LINK.search(Mailbox.text(confirmation))
    assert link is not None, Mailbox.text(confirmation)
    phone.goto(link.group(0))
    assert_accessible(phone)
    assert_fits(phone)
    phone.get_by_role("button", name=text["confirm"]).click()
    phone.get_by_role("heading", name=text["on_its_way"]).wait_for()

    worker.drain()
    [to_office] = mailbox.to(council.home_holder.email)
    assert to_office["Reply-To"] == "lupe@example.org"
    assert "Please co-sponsor the ECPS ordinance" in Mailbox.text(to_office)
    assert len(mailbox.to("lupe@example.org")) == 2  # the confirmation and the copy
    phone.context.close()

    page = new_page(browser, locale=locale, width=360)
    page.goto(f"{site.url}/accounts/login/")
    page.fill("#id_username", organizer.email)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name=text["login"]).click()
    page.wait_for_url(re.compile("/manage/"))
    page.goto(f"{site.url}/manage/action-now/outreach/{action.slug}/")
    with translation.override(locale[:2]):
        office = council.home.title()
    row = page.locator("tbody tr", has_text=office)
    assert row.locator("td").nth(1).inner_text().strip() == "1"  # messages sent
    assert_accessible(page)
    assert_fits(page)
    page.context.close()


def test_use_my_location_in_the_embeddable_box(
    browser: Any,
    site: Any,
    action: OutreachAction,  # noqa: F811
    council: Council,  # noqa: F811
) -> None:
    context = browser.new_context(
        locale="en-US",
        viewport={"width": 360, "height": 800},
        geolocation={"latitude": 41.8578, "longitude": -87.6602},
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{site.url}/act/{action.slug}/embed/")
    assert_accessible(page)
    assert_fits(page)
    page.get_by_role("button", name=gettext("Use my location")).click()
    page.get_by_role("heading", name=council.home_holder.name).wait_for()
    write = page.get_by_role("link", name=re.compile(gettext("Write or call now")))
    assert write.get_attribute("href") == f"/act/{action.slug}/?office={council.home.pk}"
    assert_accessible(page)
    assert_fits(page)
    context.close()
