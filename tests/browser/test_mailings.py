"""A mailing in chromium on a 360-px phone, in English and in Spanish: write it to a
tag, preview it, send it, watch the progress reach 100% and read the figures."""

from __future__ import annotations

from typing import Any

import pytest

from groundswell.accounts.models import User
from groundswell.core.worker import drain
from groundswell.mailings.models import Mailing, MailingState
from groundswell.organizations.models import Organization
from tests.browser.conftest import assert_accessible, assert_fits, new_page
from tests.browser.test_people import log_in
from tests.mailings.conftest import members  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("locale", ["en-US", "es-US"])
def test_an_organizer_writes_previews_and_sends_a_mailing_on_a_phone(
    browser: Any,
    site: Any,
    organizer: User,
    action_now: Organization,
    members: Any,  # noqa: F811
    mailbox: Any,
    settings: Any,
    locale: str,
) -> None:
    settings.MAILINGS_RATE = 1000
    phone = new_page(browser, locale=locale, width=360)
    log_in(phone, site, organizer)
    phone.goto(f"{site.url}/manage/{action_now.slug}/mailings/")
    assert_accessible(phone)
    assert_fits(phone)
    phone.locator(f"a[href$='/manage/{action_now.slug}/mailings/new/']").click()
    phone.fill("#id_subject", "Saturday")
    phone.fill("#id_body", 'Hi {{ first_name|default:"friend" }}, join us **Saturday**.')
    phone.check(f"input[name=tags][value='{members.pk}']")
    phone.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert_accessible(phone)
    assert_fits(phone)
    phone.locator("main form button[type=submit]").click()
    phone.wait_for_url("**/mailings/*/")

    mailing = Mailing.objects.get()
    assert phone.locator("[data-recipient-count]").inner_text().startswith("2 ")
    assert phone.locator("[data-preview-body] strong").inner_text() == "Saturday"
    assert_accessible(phone)
    assert_fits(phone)

    phone.locator("form[action$='/send/'] button[type=submit]").click()
    phone.wait_for_url(f"**/mailings/{mailing.pk}/")
    drain()  # the worker's round: fix the recipients, send, record, close
    # The page's script polls progress.json and moves the bar (no reload).
    phone.wait_for_selector("progress[data-percent][value='100']", state="attached")
    assert phone.locator("[data-figure=sent]").inner_text() == "2"
    assert phone.locator("[data-figure=recipients]").inner_text() == "2"
    assert Mailing.objects.get().state == MailingState.SENT
    assert sorted(str(m["To"]) for m in mailbox.messages) == [
        "ana@example.org",
        "ben@example.org",
    ]
    assert_accessible(phone)
    assert_fits(phone)
    phone.context.close()
