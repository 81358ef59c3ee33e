"""The public side on a phone: bad input explained, every page accessible.

The full sign → confirm → count → milestone path runs in test_organizer_flow.py."""

from __future__ import annotations

from typing import Any

import pytest

from groundswell.petitions import counts
from groundswell.petitions.models import Petition, Signature
from tests.browser.conftest import assert_accessible, assert_fits, new_page
from tests.petitions.test_counts import add_signatures

pytestmark = pytest.mark.django_db(transaction=True)


def test_bad_input_is_explained_next_to_the_field(
    browser: Any, site: Any, petition: Petition
) -> None:
    page = new_page(browser, width=360)
    page.goto(f"{site.url}/petitions/{petition.slug}/")
    page.get_by_label("First name", exact=True).fill("Ana")
    page.get_by_label("Email", exact=True).fill("not an email")
    page.get_by_label("ZIP code", exact=True).fill("123")
    page.get_by_role("button", name="Sign", exact=True).click()
    page.get_by_text("Enter a valid email address.").wait_for()
    assert page.get_by_text("Enter a 5-digit ZIP code, like 60608.").is_visible()
    assert page.get_by_label("First name", exact=True).input_value() == "Ana"
    assert_accessible(page)
    assert_fits(page)
    assert Signature.objects.count() == 0
    page.context.close()


def test_public_pages_are_accessible_on_a_phone(phone: Any, site: Any, petition: Petition) -> None:
    add_signatures(petition, 30, verified=True)
    counts.recount(petition)
    for path in [
        "/",
        "/petitions/",
        f"/petitions/{petition.slug}/",
        f"/petitions/{petition.slug}/thanks?r=resent",
    ]:
        phone.goto(f"{site.url}{path}")
        assert_accessible(phone)
        assert_fits(phone)
