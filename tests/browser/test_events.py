"""Events in chromium on a 360-px phone, in English and in Spanish: an RSVP to a full
shift goes to the waitlist and is promoted when someone cancels from their email; an
organizer checks people in and adds a walk-in. Every page passes axe and fits."""

from __future__ import annotations

import re
from typing import Any

import pytest

from groundswell.accounts.models import User
from groundswell.events import actions
from groundswell.events.models import RSVP, Event
from groundswell.organizations.models import Organization
from tests.browser.conftest import assert_accessible, assert_fits, new_page
from tests.conftest import PASSWORD
from tests.events.conftest import make_event, rsvp_as

pytestmark = pytest.mark.django_db(transaction=True)

LOCALES = ["en-US", "es-US"]


def check(page: Any, lang: str) -> None:
    assert page.locator("html").get_attribute("lang") == lang
    assert_accessible(page)
    assert_fits(page)


def cancel_link(mailbox: Any, address: str) -> str:
    [message] = [m for m in mailbox.to(address) if "/cancel/" in mailbox.text(m)]
    found = re.search(r"(http://\S+/events/rsvp/\S+/cancel/)", mailbox.text(message))
    assert found is not None
    return found[1]


@pytest.mark.parametrize("locale", LOCALES)
def test_rsvp_to_a_full_shift_goes_to_the_waitlist_and_is_promoted_on_a_cancellation(
    browser: Any, site: Any, mailbox: Any, drain: Any, action_now: Organization, locale: str
) -> None:
    lang = locale[:2]
    event = make_event(action_now, capacity=1)
    rsvp_as(event, "first@example.org", first_name="Marta")
    drain()

    phone = new_page(browser, locale=locale, width=360)
    phone.goto(f"{site.url}/events/")
    check(phone, lang)
    phone.locator(f"a[href='/events/{event.pk}/']").first.click()
    phone.wait_for_url(f"**/events/{event.pk}/")
    check(phone, lang)
    phone.fill("#id_first_name", "Ana")
    phone.fill("#id_last_name", "Reyes")
    phone.fill("#id_email", "ana@example.org")
    phone.locator("input[name=shifts]").first.check()
    phone.locator(f"form[action='/events/{event.pk}/rsvp'] button[type=submit]").click()
    phone.wait_for_url(f"**/events/{event.pk}/thanks")
    check(phone, lang)
    ana = RSVP.objects.get(email="ana@example.org")
    assert ana.status == "waitlisted"
    assert ana.language == lang
    drain()
    [waitlisted] = mailbox.wait_for(2)[1:]
    assert waitlisted["To"] == "ana@example.org" and not list(waitlisted.iter_attachments())

    # Marta cannot come: she cancels from the link in her email.
    link = cancel_link(mailbox, "first@example.org")
    marta = new_page(browser, locale=locale, width=360)
    marta.goto(link)
    check(marta, lang)
    marta.locator("main form button[type=submit]").click()
    marta.locator(".notice-ok").wait_for()
    check(marta, lang)
    assert RSVP.objects.get(email="first@example.org").status == "cancelled"

    ana.refresh_from_db()
    assert ana.status == "confirmed" and ana.promoted_at is not None
    drain()
    promoted = mailbox.wait_for(3)[2]
    assert promoted["To"] == "ana@example.org"
    # With the calendar file: she has a spot now.
    [calendar] = list(promoted.iter_attachments())
    assert calendar.get_content_type() == "text/calendar"

    # A forged link changes nothing and says so.
    marta.goto(f"{site.url}/events/rsvp/forged-token/cancel/")
    check(marta, lang)
    assert RSVP.objects.get(email="ana@example.org").status == "confirmed"
    phone.context.close()
    marta.context.close()


@pytest.mark.parametrize("locale", LOCALES)
def test_check_in_on_a_360_px_viewport(
    browser: Any,
    site: Any,
    mailbox: Any,
    action_now: Organization,
    organizer: User,
    locale: str,
) -> None:
    lang = locale[:2]
    event: Event = make_event(action_now, capacity=10)
    ana = rsvp_as(
        event, "ana@example.org", first_name="Ana", last_name="Reyes", consents=[action_now.pk]
    ).rsvp
    actions.confirm_email(ana)  # her consent applies once she confirms her address
    rsvp_as(event, "anita@example.org", first_name="Anita", last_name="Cruz")

    phone = new_page(browser, locale=locale, width=360)
    phone.goto(f"{site.url}/accounts/login/")
    phone.fill("#id_username", organizer.email)
    phone.fill("#id_password", PASSWORD)
    phone.locator("main button[type=submit]").click()
    phone.wait_for_url("**/manage/**")

    phone.goto(f"{site.url}/manage/{action_now.slug}/events/")
    check(phone, lang)
    phone.goto(f"{site.url}/manage/{action_now.slug}/events/{event.pk}/")
    check(phone, lang)
    phone.locator(f"a[href$='/events/{event.pk}/check-in/']").click()
    phone.wait_for_url("**/check-in/")
    check(phone, lang)

    phone.fill("#q", "ana r")
    phone.locator("form[role=search] button[type=submit]").click()
    phone.wait_for_url("**q=ana*")
    results = phone.locator("ul.attendees > li")
    assert results.count() == 1
    assert "ana@example.org" in results.first.inner_text()  # she consented
    check(phone, lang)
    results.first.locator("button[type=submit]").click()
    phone.wait_for_url("**q=ana*")
    phone.locator("ul.attendees .status-badge").wait_for()
    check(phone, lang)
    assert RSVP.objects.get(email="ana@example.org").attendance == "attended"

    phone.fill("#q", "anita")
    phone.locator("form[role=search] button[type=submit]").click()
    phone.wait_for_url("**q=anita")
    assert "anita@example.org" not in phone.locator("ul.attendees").inner_text()

    # A walk-in, with a mistake first: consent without an email address.
    phone.fill("#id_first_name", "Luis")
    phone.locator("#id_consent").check()
    phone.locator("form[action$='/walk-in/'] button[type=submit]").click()
    phone.locator(".notice-error").wait_for()
    check(phone, lang)
    assert not RSVP.objects.filter(first_name="Luis").exists()
    phone.fill("#id_email", "luis@example.org")
    phone.locator("form[action$='/walk-in/'] button[type=submit]").click()
    phone.wait_for_url("**/check-in/")
    check(phone, lang)
    walk_in = RSVP.objects.get(first_name="Luis")
    assert (walk_in.attendance, walk_in.source) == ("attended", "walk-in")
    phone.context.close()


def test_every_events_page_fits_a_phone_and_passes_axe(
    browser: Any, site: Any, action_now: Organization, organizer: User
) -> None:
    from groundswell.campaigns.models import Campaign

    Campaign.objects.create(owner=action_now, slug="welcoming", title="Welcoming", status="active")
    event = make_event(action_now, capacity=1)
    today = event.shifts.get().starts_at
    phone = new_page(browser, width=360)
    for path in [
        f"/events/month/{today.year}/{today.month}/",
        "/events/propose/",
        f"/events/{event.pk}/thanks",
    ]:
        phone.goto(f"{site.url}{path}")
        check(phone, "en")
    phone.goto(f"{site.url}/accounts/login/")
    phone.fill("#id_username", organizer.email)
    phone.fill("#id_password", PASSWORD)
    phone.locator("main button[type=submit]").click()
    phone.wait_for_url("**/manage/**")
    base = f"/manage/{action_now.slug}/events"
    for path in [f"{base}/new/", f"{base}/{event.pk}/edit/", f"{base}/{event.pk}/cancel/"]:
        phone.goto(f"{site.url}{path}")
        check(phone, "en")
    phone.context.close()
