"""The organizer's people area in chromium: a co-sponsor's export respects consent, and
every page works on a 360-px phone, in English and in Spanish."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization
from groundswell.people import actions
from groundswell.people import actions as people_actions
from groundswell.people.models import PersonList, Supporter
from groundswell.petitions.models import Petition
from tests.browser.conftest import assert_accessible, assert_fits, new_page
from tests.conftest import PASSWORD
from tests.petitions.test_export import sign

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page: Any, site: Any, user: User) -> None:
    page.goto(f"{site.url}/accounts/login/")
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/manage/**")


def download_export(page: Any, site: Any, org: str, search: str) -> list[dict[str, str]]:
    """Search the organization's people in the page, then download the results' CSV."""
    page.goto(f"{site.url}/manage/{org}/people/")
    page.fill("#id_q", search)
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**q=**")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download these people (CSV)").click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_consent_respected_in_an_export_by_a_co_sponsor(
    browser: Any,
    site: Any,
    petition: Petition,
    action_now: Organization,
    organizer: User,
    ocad_organizer: User,
) -> None:
    # Ana ticks only Action Now's box, then confirms from her email's link.
    sign(petition, "Ana", consents=[action_now.pk], email="ana.signer@example.org")

    ocad_page = new_page(browser)
    log_in(ocad_page, site, ocad_organizer)
    rows = download_export(ocad_page, site, "ocad", "Ana")
    assert [(row["first_name"], row["last_name"]) for row in rows] == [("Ana", "Reyes")]
    assert rows[0]["email"] == ""
    assert rows[0]["email_consent"] == "no"
    ocad_page.context.close()

    owner_page = new_page(browser)
    log_in(owner_page, site, organizer)
    rows = download_export(owner_page, site, "action-now", "Ana")
    assert rows[0]["email"] == "ana.signer@example.org"
    assert rows[0]["email_consent"] == "yes"
    owner_page.context.close()


@pytest.mark.parametrize("locale", ["en-US", "es-US"])
def test_people_pages_work_on_a_phone(
    browser: Any,
    site: Any,
    owner: User,
    action_now: Organization,
    petition: Petition,
    locale: str,
) -> None:
    signature = sign(petition, "Ana", consents=[action_now.pk], email="ana.signer@example.org")
    person_id = signature.person_id
    assert person_id is not None
    supporter_id = Supporter.objects.get(organization=action_now, person=person_id).pk
    sign(petition, "Ben", consents=[], email="benjamin.longname-hyphenated@example.org")
    tag = people_actions.get_or_create_tag(action_now, "ward 25 captain")
    people_actions.tag_people(tag, [person_id])
    person_list = actions.create_list(action_now, "Phone bank")
    actions.add_to_list(person_list, [person_id])
    saved = actions.create_list(
        action_now, "Pilsen", kind=PersonList.Kind.SAVED, query={"zip": "606"}
    )
    phone = new_page(browser, locale=locale, width=360)
    log_in(phone, site, owner)
    base = f"/manage/{action_now.slug}/people"
    for path in [
        f"{base}/",
        f"{base}/?q=ana&zip=606&consent=yes",
        f"{base}/?since=yesterday",
        f"{base}/new/",
        f"{base}/{supporter_id}/",
        f"{base}/{supporter_id}/edit/",
        f"{base}/lists/",
        f"{base}/lists/{person_list.pk}/",
        f"{base}/lists/{saved.pk}/",
        f"{base}/lists/{person_list.pk}/delete/",
        f"{base}/tags/",
        f"{base}/tags/{tag.pk}/",
    ]:
        response = phone.goto(f"{site.url}{path}")
        assert response.status == 200, path
        phone.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        assert_accessible(phone)
        assert_fits(phone)
    phone.goto(f"{site.url}{base}/new/")
    phone.locator("button[type=submit]").last.click()  # empty: says what is missing
    assert_accessible(phone)
    assert_fits(phone)
    phone.context.close()
