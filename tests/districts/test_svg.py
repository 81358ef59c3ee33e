"""The ward map drawn as SVG (districts.svg): every ward a titled path, classed fills
with a legend, an accessible image, and a size fit to inline in a page."""

from __future__ import annotations

from collections.abc import Iterator
from xml.etree import ElementTree

import pytest

from groundswell.districts import svg
from groundswell.districts.models import DistrictSet
from tests.districts.conftest import WARD

pytestmark = pytest.mark.django_db
NS = {"svg": "http://www.w3.org/2000/svg"}


@pytest.fixture(autouse=True)
def no_kept_outlines() -> Iterator[None]:
    svg.forget()
    yield
    svg.forget()


def draw(wards: DistrictSet, values: dict[str, int]) -> ElementTree.Element:
    markup = svg.choropleth(
        svg.outline(wards),
        values,
        label="Verified signers by ward",
        describe=lambda area, value: f"{area.label()}: {value}",
        legend_title="Verified signers",
        legend_label=lambda low, high: f"{low}-{high}",
        empty_label="None",
    )
    return ElementTree.fromstring(str(markup))  # noqa: S314  # our own markup


def test_every_ward_is_a_path_with_a_title_saying_its_number(wards: DistrictSet) -> None:
    root = draw(wards, {WARD.format(3): 12, WARD.format(7): 1})

    paths = root.findall(".//svg:path", NS)
    assert len(paths) == 50
    titles = {p.findtext("svg:title", namespaces=NS) for p in paths}
    assert "Ward 3: 12" in titles and "Ward 7: 1" in titles and "Ward 50: 0" in titles


def test_the_map_is_an_image_with_a_name(wards: DistrictSet) -> None:
    root = draw(wards, {})

    assert root.get("role") == "img"
    assert root.get("aria-label") == "Verified signers by ward"
    assert root.findtext("svg:title", namespaces=NS) == "Verified signers by ward"


def test_fills_are_classed_and_a_ward_without_signers_is_grey(wards: DistrictSet) -> None:
    root = draw(wards, {WARD.format(1): 100, WARD.format(2): 1})

    fills = {p.get("data-division"): p.get("fill") for p in root.findall(".//svg:path", NS)}
    assert fills[WARD.format(1)] == svg.FILLS[-1]
    assert fills[WARD.format(2)] == svg.FILLS[0]
    assert fills[WARD.format(3)] == svg.EMPTY_FILL
    legend = [t.text for t in root.findall(".//svg:text", NS)]
    assert legend[0] == "Verified signers" and "None" in legend and "81-100" in legend


def test_classes_never_outnumber_the_values() -> None:
    assert svg.classify({"a": 2}).bounds == (1, 2)
    assert svg.classify({}).bounds == (1,)
    assert svg.classify({"a": 1000}).bounds == (200, 400, 600, 800, 1000)


def test_the_fifty_wards_fit_in_a_small_inline_svg(wards: DistrictSet) -> None:
    markup = str(
        svg.choropleth(
            svg.outline(wards),
            {},
            label="x",
            describe=lambda area, value: "",
            legend_title="",
            legend_label=lambda low, high: "",
            empty_label="",
        )
    )
    assert len(markup) < 60_000
    outline = svg.outline(wards)
    assert outline.width == svg.WIDTH
    assert all(
        0 <= x <= outline.width + 0.1 and 0 <= y <= outline.height + 0.1
        for area in outline.areas
        for polygon in area.polygons
        for ring in polygon
        for x, y in ring
    )
