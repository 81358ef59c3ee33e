"""On a 360-px phone, in English and Spanish: a demand's research page quotes the
contract clause behind it and shows a chart with the data's source and date; axe-core
finds nothing serious and nothing scrolls sideways."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import formats, translation
from django.utils.translation import gettext

from groundswell.campaigns.models import Campaign
from groundswell.organizations.models import Membership
from groundswell.research.actions import documents
from groundswell.research.models import Category, ChartCitation, Dataset, Version
from tests.browser.conftest import assert_accessible, assert_fits, browser, new_page, site  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUOTE = "An officer shall not be interrogated until forty-eight (48) hours"


@pytest.mark.parametrize("locale", ["en-US", "es-US"])
def test_a_demand_page_cites_a_clause_and_a_dated_chart(
    browser: Any,  # noqa: F811
    site: Any,  # noqa: F811
    dee: Membership,
    versions: tuple[Version, Version],
    campaign: Campaign,
    sample: Dataset,
    locale: str,
) -> None:
    demand = campaign.demands.get(position=1)
    documents.tag_clause(
        dee,
        versions[0].sections.get(number="6.2"),
        quote=QUOTE,
        category=Category.RESTRICTING_INTERROGATIONS,
        demand_ids=[demand.pk],
    )
    documents.cite_chart(dee, demand, sample, measure=ChartCitation.Measure.YEAR)
    with translation.override(locale[:2]):
        heading = gettext("The contract language behind this demand")
        date = formats.date_format(sample.data_date, "DATE_FORMAT")

    phone = new_page(browser, locale=locale, width=360)
    phone.goto(f"{site.url}/research/demands/{demand.pk}/")
    assert phone.locator("html").get_attribute("lang") == locale[:2]
    assert phone.get_by_role("heading", name=heading).is_visible()
    assert QUOTE in phone.locator("blockquote").first.inner_text()
    chart = phone.locator("figure svg[role=img]")
    assert chart.count() == 1 and chart.is_visible()
    assert date in phone.locator("figure figcaption").inner_text()
    assert_accessible(phone)
    assert_fits(phone)
    phone.context.close()
