"""The Council's public pages on a phone: the whip board (members by stance, the count
against the votes needed, each member's ward), the Council by ward and a matter, at
360 px, in English and Spanish, with no serious accessibility problem."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext

from groundswell.legislation import actions, demo
from groundswell.legislation.models import Body, StanceValue, WhipBoard
from groundswell.organizations.models import Organization
from tests.browser.conftest import assert_accessible, assert_fits, new_page

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def board(db: None) -> WhipBoard:
    Organization.objects.create(name="ECPS Coalition", slug="ecps-coalition", is_coalition=True)
    demo.load()
    board = WhipBoard.objects.get(matter__slug=demo.ECPS.slug)
    council = Body.objects.get(slug="city-council")
    member = council.terms.get(office__number=7).decision_maker
    actions.record_stance(
        board,
        member,
        value=StanceValue.LEANING_YES,
        source="link",
        url="https://example.org/a-very-long-address/of-an-interview/that-must-wrap/on-a-phone",
        on=datetime.date.today() - datetime.timedelta(days=1),
    )
    return board


@pytest.mark.parametrize("locale", ["en-US", "es-US"])
def test_the_public_whip_board_fits_a_phone(
    browser: Any, site: Any, board: WhipBoard, locale: str
) -> None:
    with translation.override(locale[:2]):
        heading = gettext("Members by stance")
        ward = gettext("Ward")
    phone = new_page(browser, locale=locale, width=360)

    phone.goto(f"{site.url}{board.get_absolute_url()}")

    assert phone.locator("html").get_attribute("lang") == locale[:2]
    phone.get_by_role("heading", name=heading, exact=True).wait_for()
    assert phone.locator(".whip-table").first.get_by_role("columnheader", name=ward).is_visible()
    assert phone.locator("progress").is_visible()
    assert phone.locator(".demo-note").is_visible()
    assert_accessible(phone)
    assert_fits(phone)
    phone.context.close()


def test_the_council_and_a_matter_fit_a_phone(browser: Any, site: Any, board: WhipBoard) -> None:
    phone = new_page(browser, width=360)

    for path in ("/council/", board.matter.get_absolute_url(), "/council/matters/"):
        phone.goto(f"{site.url}{path}")
        assert_accessible(phone)
        assert_fits(phone)
    phone.context.close()
