"""An organizer opens the ward map and downloads a delivery packet, on a 360-px phone,
in English and Spanish, with no serious accessibility problem; then the map shows on
the public page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext
from pypdf import PdfReader

from groundswell.accounts.models import User
from groundswell.core import worker
from groundswell.districts import locate, svg
from groundswell.legislation import demo
from groundswell.organizations.models import Organization
from groundswell.petitions import actions
from groundswell.petitions.models import Petition
from tests.browser.conftest import assert_accessible, assert_fits, new_page
from tests.conftest import PASSWORD
from tests.petitions.delivery import address_to, alderperson, mayor, recount, sign

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ward_petition(petition: Petition, action_now: Organization) -> Petition:
    locate.forget_indexes()
    svg.forget()
    demo.load()
    address_to(petition, mayor(), alderperson(3), threshold=2)
    sign(petition, "Ana", last="Alvarez", ward=3, consents=[action_now.pk])
    sign(petition, "Beto", last="Baños", ward=3)
    sign(petition, "Cruz", last="Castro", ward=7)
    recount(petition)
    return petition


@pytest.mark.parametrize("locale", ["en-US", "es-US"])
def test_an_organizer_opens_the_ward_map_and_downloads_a_packet(
    browser: Any, site: Any, owner: User, ward_petition: Petition, locale: str, tmp_path: Path
) -> None:
    language = locale[:2]
    with translation.override(language):
        log_in = gettext("Log in")
        open_map = gettext("Open the ward map")
        make = gettext("Make a packet")
        download = gettext("Download the PDF")
        ward_3 = gettext("Ward %(number)s") % {"number": 3}
    phone = new_page(browser, locale=locale, width=360)
    phone.goto(f"{site.url}/accounts/login/")
    phone.fill("#id_username", owner.email)
    phone.fill("#id_password", PASSWORD)
    phone.get_by_role("button", name=log_in).click()
    phone.wait_for_url("**/manage/")
    dashboard = f"{site.url}/manage/{ward_petition.owner.slug}/petitions/{ward_petition.slug}/"

    phone.goto(dashboard)
    phone.get_by_role("link", name=open_map).click()
    phone.locator("#ward-map").wait_for()
    assert phone.locator("#ward-map path").count() == 50
    assert phone.get_by_role("rowheader", name=ward_3, exact=True).is_visible()
    assert phone.locator("html").get_attribute("lang") == language
    assert_accessible(phone)
    assert_fits(phone)

    phone.goto(dashboard)
    phone.get_by_label(gettext_in(language, "Decision maker"), exact=True).select_option(
        label=str(ward_petition.targets.get(name="Ward 3 Alderperson"))
    )
    phone.get_by_role("button", name=make).click()
    phone.locator("progress").first.wait_for()
    worker.drain(periodic=False)
    # The page follows the packet's progress by itself (petitions/packets.js).
    phone.get_by_role("link", name=download).first.wait_for()
    assert_accessible(phone)
    assert_fits(phone)
    with phone.expect_download() as download_info:
        phone.get_by_role("link", name=download).first.click()
    saved = tmp_path / "packet.pdf"
    download_info.value.save_as(saved)
    text = "\n".join(p.extract_text() for p in PdfReader(saved).pages)
    assert "Ana Alvarez" in text and "Beto Baños" in text and "Cruz Castro" not in text
    assert ward_3 in text

    actions.update_petition(ward_petition, show_ward_map=True)
    phone.goto(f"{site.url}{ward_petition.get_absolute_url()}")
    assert phone.locator("#ward-map path").count() == 50
    assert_accessible(phone)
    assert_fits(phone)
    phone.context.close()


def gettext_in(language: str, text: str) -> str:
    with translation.override(language):
        return gettext(text)


def test_the_picker_narrows_to_what_is_typed_on_a_phone(
    browser: Any, site: Any, owner: User, ward_petition: Petition
) -> None:
    phone = new_page(browser, width=360)
    phone.goto(f"{site.url}/accounts/login/")
    phone.fill("#id_username", owner.email)
    phone.fill("#id_password", PASSWORD)
    phone.get_by_role("button", name="Log in").click()
    phone.wait_for_url("**/manage/")
    phone.goto(f"{site.url}/manage/{ward_petition.owner.slug}/petitions/new/")

    phone.get_by_role("searchbox").first.fill("ward 25")

    picker = phone.locator("#id_targets-0-decision_maker")
    visible = picker.locator("option:not([hidden])").all_text_contents()
    assert visible[1:] == ["Ward 25 Alderperson (Alderperson, Ward 25)"]
    picker.select_option(label="Ward 25 Alderperson (Alderperson, Ward 25)")
    assert_accessible(phone)
    assert_fits(phone)
    phone.context.close()
