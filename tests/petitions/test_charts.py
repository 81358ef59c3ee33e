"""The dashboard's server-drawn SVG charts and the numbers behind them."""

from __future__ import annotations

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from groundswell.petitions import charts
from groundswell.petitions.charts import DayCount, SourceCount
from groundswell.petitions.models import DailyCount, Petition

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output


@pytest.mark.django_db
def test_signatures_by_day_covers_the_last_30_days_summed_over_sources(
    petition: Petition,
) -> None:
    today = timezone.localdate()
    DailyCount.objects.create(petition=petition, day=today, source="", total=5, verified=3)
    DailyCount.objects.create(petition=petition, day=today, source="email", total=2, verified=2)
    DailyCount.objects.create(
        petition=petition, day=today - datetime.timedelta(days=29), source="", total=1, verified=1
    )
    DailyCount.objects.create(
        petition=petition, day=today - datetime.timedelta(days=30), source="", total=9, verified=9
    )

    series = charts.signatures_by_day(petition)

    assert len(series) == 30
    assert series[-1] == DayCount(day=today, verified=5, pending=2)
    assert series[0] == DayCount(day=today - datetime.timedelta(days=29), verified=1, pending=0)
    assert sum(d.total for d in series) == 8  # the day 30 days ago is left out


@pytest.mark.django_db
def test_signatures_by_source_calls_a_blank_source_direct_and_sums_the_long_tail(
    petition: Petition,
) -> None:
    today = timezone.localdate()
    DailyCount.objects.create(petition=petition, day=today, source="", total=10, verified=8)
    DailyCount.objects.create(
        petition=petition, day=today - datetime.timedelta(days=1), source="", total=5, verified=5
    )
    DailyCount.objects.create(petition=petition, day=today, source="facebook", total=7, verified=7)
    for i in range(3):
        DailyCount.objects.create(petition=petition, day=today, source=f"s{i}", total=1, verified=0)

    sources = charts.signatures_by_source(petition, top=3)

    assert [(s.label, s.verified, s.pending) for s in sources] == [
        ("direct", 13, 2),
        ("Facebook", 7, 0),  # a known share link by its name
        ("other sources", 0, 3),
    ]


def test_the_daily_chart_is_an_accessible_image_with_one_bar_group_per_day() -> None:
    today = datetime.date(2025, 3, 30)
    series = [
        DayCount(day=today - datetime.timedelta(days=29 - i), verified=i, pending=i % 3)
        for i in range(30)
    ]

    root = parse(charts.daily_chart(series))

    assert root.get("role") == "img"
    assert "Signatures per day, last 30 days" in (root.get("aria-label") or "")
    assert "435 verified" in (root.get("aria-label") or "")
    assert root.findtext(f"{SVG}title") == "Signatures per day, last 30 days"
    assert "waiting for email confirmation" in (root.findtext(f"{SVG}desc") or "")
    groups = root.findall(f"{SVG}g")
    assert len(groups) == 30
    assert (groups[-1].findtext(f"{SVG}title") or "").endswith("29 verified, 2 waiting")


def test_bars_are_drawn_to_scale_with_pending_stacked_on_verified() -> None:
    day = datetime.date(2025, 3, 30)
    series = [DayCount(day=day, verified=30, pending=20), DayCount(day=day, verified=0, pending=0)]

    root = parse(charts.daily_chart(series))

    verified, pending = root.findall(f"{SVG}g")[0].findall(f"{SVG}rect")
    assert verified.get("class") == "bar"
    assert pending.get("class") == "bar-pending"
    verified_h, pending_h = float(verified.get("height", 0)), float(pending.get("height", 0))
    assert verified_h / pending_h == pytest.approx(1.5, rel=0.02)
    assert float(pending.get("y", 0)) + pending_h == pytest.approx(float(verified.get("y", 0)))


def test_an_empty_series_still_draws_a_valid_chart() -> None:
    series = [DayCount(day=datetime.date(2025, 3, d), verified=0, pending=0) for d in range(1, 31)]

    root = parse(charts.daily_chart(series))

    assert root.get("role") == "img"
    assert "0 verified" in (root.get("aria-label") or "")


def test_the_sources_chart_escapes_source_names() -> None:
    rows = [SourceCount(source='<script>alert("x")</script>', verified=3, pending=1)]

    svg = charts.sources_chart(rows)

    assert "<script>" not in svg
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.findtext(f"{SVG}title") == "Signatures by source"
    assert '<script>alert("x")</script> 4' in (root.get("aria-label") or "")


def test_the_sources_chart_draws_the_largest_source_full_width() -> None:
    rows = [
        SourceCount(source="", verified=10, pending=0),
        SourceCount(source="twitter", verified=5, pending=0),
    ]

    root = parse(charts.sources_chart(rows))

    bars = [g.findall(f"{SVG}rect")[0] for g in root.findall(f"{SVG}g")]
    widths = [float(bar.get("width", 0)) for bar in bars]
    assert widths[0] == pytest.approx(2 * widths[1])
    assert [g.findall(f"{SVG}text")[0].text for g in root.findall(f"{SVG}g")] == [
        "direct",
        "Twitter",  # a known source by its name
    ]


@pytest.mark.parametrize(
    ("value", "ceiling"),
    [(0, 1), (1, 1), (3, 5), (7, 10), (11, 20), (21, 25), (210, 250), (999, 1000), (2001, 2500)],
)
def test_the_scale_rounds_up_to_a_readable_number(value: int, ceiling: int) -> None:
    assert charts.nice_ceiling(value) == ceiling
