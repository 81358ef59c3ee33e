"""A reader on a 360-px phone, in English and in Spanish, who came from a shared link
(issue 15): the form in the first screen, consent grouped, sharing that carries sources."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from groundswell.petitions.models import Petition, Signature
from tests.browser.conftest import assert_accessible, assert_fits, new_page
from tests.conftest import co_sponsor

pytestmark = pytest.mark.django_db(transaction=True)

SHARE_SOURCES = ("copy", "whatsapp", "sms", "email", "facebook", "x", "bluesky")


def fill(page: Any, first: str, email: str) -> None:
    form = page.locator("#sign form")
    form.locator("#id_first_name").fill(first)
    form.locator("#id_last_name").fill("Reyes")
    form.locator("#id_email").fill(email)
    form.locator("#id_zip_code").fill("60608")


def test_the_form_is_in_the_first_screen_and_signs_with_the_ticked_consents(
    browser: Any,
    site: Any,
    petition: Petition,
    ocad: Any,
    other_org: Any,
    settings: Any,
    tmp_path: Any,
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    co_sponsor(petition, other_org)
    url = f"{site.url}/petitions/{petition.slug}/?source=whatsapp"
    for locale in ("en-US", "es"):
        page = new_page(browser, locale=locale, width=360)
        page.goto(url)
        top = page.locator("#sign form").bounding_box()["y"]
        assert top < 800, f"{locale}: the form starts {top}px down"
        assert page.locator("details.cosponsors").get_attribute("open") is None
        assert page.locator("details.cosponsors input[type=checkbox]:checked").count() == 0
        hrefs = page.locator(".share-links a").evaluate_all("links => links.map(a => a.href)")
        assert len(hrefs) == len(SHARE_SOURCES)
        for source, href in zip(SHARE_SOURCES, hrefs, strict=True):
            assert f"source%3D{source}" in href or f"source={source}" in href, href
        assert_accessible(page)
        assert_fits(page)
        page.context.close()

    # English: the group expanded, one co-sponsor ticked, the owner's box left empty.
    page = new_page(browser, width=360)
    page.goto(url)
    fill(page, "Ana", "ana@example.org")
    page.locator("details.cosponsors summary").click()
    page.locator(f"#id_consent_{other_org.pk}").check()
    assert_accessible(page)
    page.locator("#sign button[type=submit]").click()
    page.wait_for_url("**/thanks")
    assert page.get_by_role("heading", name="Now get 3 friends to sign").is_visible()
    assert_accessible(page)
    page.context.close()

    # Spanish: the owner's box ticked, the group left collapsed.
    page = new_page(browser, locale="es", width=360)
    page.goto(url)
    fill(page, "Bea", "bea@example.org")
    page.locator(f"#id_consent_{petition.owner_id}").check()
    page.locator("#sign button[type=submit]").click()
    page.wait_for_url("**/thanks")
    page.context.close()

    consents = dict(Signature.objects.values_list("first_name", "consents"))
    assert consents == {"Ana": [other_org.pk], "Bea": [petition.owner_id]}
    assert set(Signature.objects.values_list("source", flat=True)) == {"whatsapp"}


def test_select_all_and_the_share_picture(
    browser: Any, site: Any, petition: Petition, other_org: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    co_sponsor(petition, other_org)
    page = new_page(browser, width=360)
    page.goto(f"{site.url}/petitions/{petition.slug}/")
    page.locator("details.cosponsors summary").click()
    page.get_by_role("button", name="Select all").click()
    assert page.locator("details.cosponsors input[type=checkbox]:checked").count() == 2
    image = page.locator('meta[property="og:image"]').get_attribute("content")
    response = page.request.get(image)
    assert response.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(response.body())).size == (1200, 630)
    page.context.close()
