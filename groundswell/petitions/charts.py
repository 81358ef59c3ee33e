"""The dashboard's charts, drawn on the server as inline SVG: no JavaScript, no CDN.

Each chart is an image to assistive technology (role="img", a label, <title> and
<desc>); the dashboard puts the same numbers in a table beside it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Sum
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from groundswell.petitions import sharing
from groundswell.petitions.models import DailyCount, Petition

CHART_DAYS = 30
TOP_SOURCES = 8
VERIFIED_FILL = "#a4161a"  # fallbacks for the .bar / .bar-pending classes in site.css
PENDING_FILL = "#d9a3a5"


@dataclass(frozen=True)
class DayCount:
    day: datetime.date
    verified: int
    pending: int

    @property
    def total(self) -> int:
        return self.verified + self.pending


@dataclass(frozen=True)
class SourceCount:
    source: str  # "" is the petition's own page, shown as "direct"
    verified: int
    pending: int
    other: bool = False  # the sum of every source after the top ones

    @property
    def total(self) -> int:
        return self.verified + self.pending

    @property
    def label(self) -> str:
        if self.other:
            return _("other sources")
        return sharing.source_label(self.source) if self.source else _("direct")


# --- Data ---------------------------------------------------------------------------------


def signatures_by_day(
    petition: Petition, *, days: int = CHART_DAYS, today: datetime.date | None = None
) -> list[DayCount]:
    """One entry per day for the last `days` days (today last), days without signatures as 0."""
    today = today or timezone.localdate()
    first = today - datetime.timedelta(days=days - 1)
    rows = (
        DailyCount.objects.filter(petition=petition, day__gte=first, day__lte=today)
        .values("day")
        .annotate(total=Sum("total"), verified=Sum("verified"))
        .order_by()
    )
    found = {row["day"]: (row["total"] or 0, row["verified"] or 0) for row in rows}
    series = []
    for offset in range(days):
        day = first + datetime.timedelta(days=offset)
        total, verified = found.get(day, (0, 0))
        series.append(DayCount(day=day, verified=verified, pending=max(total - verified, 0)))
    return series


def signatures_by_source(petition: Petition, *, top: int = TOP_SOURCES) -> list[SourceCount]:
    """Signatures per share-link source, largest first; beyond `top`, summed as "other"."""
    rows = (
        DailyCount.objects.filter(petition=petition)
        .values("source")
        .annotate(total=Sum("total"), verified=Sum("verified"))
        .order_by("-total", "source")
    )
    sources = [
        SourceCount(
            source=row["source"],
            verified=row["verified"] or 0,
            pending=max((row["total"] or 0) - (row["verified"] or 0), 0),
        )
        for row in rows
        if row["total"]
    ]
    if len(sources) <= top:
        return sources
    rest = sources[top - 1 :]
    other = SourceCount(
        source="",
        verified=sum(s.verified for s in rest),
        pending=sum(s.pending for s in rest),
        other=True,
    )
    return [*sources[: top - 1], other]


# --- Drawing -------------------------------------------------------------------------------


def nice_ceiling(value: int) -> int:
    """The smallest of 1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, … at or above `value`."""
    step = 1
    while True:
        for factor in (1, 2, 2.5, 5):
            ceiling = step * factor
            if ceiling == int(ceiling) and ceiling >= value:
                return int(ceiling)
        step *= 10


def _number(value: int) -> str:
    return formats.number_format(value, force_grouping=True)


def _f(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _svg(
    chart_id: str, width: int, height: int, title: str, summary: str, shapes: list[SafeString]
) -> SafeString:
    return format_html(
        '<svg class="chart" id="{id}" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
        'role="img" aria-label="{summary}" xmlns="http://www.w3.org/2000/svg">'
        "<title>{title}</title><desc>{summary}</desc>{body}</svg>",
        id=chart_id,
        w=width,
        h=height,
        title=title,
        summary=summary,
        body=_join(shapes),
    )


def _join(parts: list[SafeString]) -> SafeString:
    return mark_safe("".join(parts))  # every part was escaped by format_html


def _rect(css: str, x: float, y: float, width: float, height: float) -> SafeString:
    fill = PENDING_FILL if css == "bar-pending" else VERIFIED_FILL
    return format_html(
        '<rect class="{css}" fill="{fill}" x="{x}" y="{y}" width="{w}" height="{h}"/>',
        css=css, fill=fill, x=_f(x), y=_f(y), w=_f(width), h=_f(height),
    )  # fmt: skip


def _text(x: float, y: float, text: str, anchor: str = "start") -> SafeString:
    return format_html(
        '<text x="{x}" y="{y}" text-anchor="{anchor}">{text}</text>',
        x=_f(x), y=_f(y), anchor=anchor, text=text,
    )  # fmt: skip


def _line(x1: float, y1: float, x2: float, y2: float, weight: float = 1) -> SafeString:
    return format_html(
        '<line class="axis" stroke="#555" stroke-width="{w}" x1="{x1}" y1="{y1}" x2="{x2}" '
        'y2="{y2}"/>',
        w=_f(weight), x1=_f(x1), y1=_f(y1), x2=_f(x2), y2=_f(y2),
    )  # fmt: skip


def _group(title: str, shapes: list[SafeString]) -> SafeString:
    """Shapes with a tooltip naming what they show."""
    return format_html("<g><title>{}</title>{}</g>", title, _join(shapes))


def _legend(x: float, y: float) -> list[SafeString]:
    shapes = []
    for css, text in (("bar", _("Verified")), ("bar-pending", _("Waiting for confirmation"))):
        shapes += [_rect(css, x, y, 10, 10), _text(x + 14, y + 9, text)]
        x += 14 + 5.5 * len(text) + 12
    return shapes


def daily_chart(series: list[DayCount], *, chart_id: str = "chart-daily") -> SafeString:
    """Stacked bars, verified under pending, one per day, with a y scale and weekly dates."""
    # A 360-unit-wide drawing stays legible when scaled down to a 360 px phone.
    width, height = 360, 200
    left, right, top, bottom = 34, 6, 24, 22
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = nice_ceiling(max((d.total for d in series), default=0))
    slot = plot_w / (len(series) or 1)
    bar_w = max(slot * 0.72, 1.0)
    base = top + plot_h

    shapes = _legend(left, 6)
    for fraction in (0, 0.5, 1):
        value = peak * fraction
        if value != int(value):
            continue  # no half-way line that would not land on a whole number
        y = base - fraction * plot_h
        shapes.append(_line(left, y, width - right, y, weight=1 if fraction == 0 else 0.3))
        shapes.append(_text(left - 4, y + 3, _number(int(value)), anchor="end"))
    for index, day in enumerate(series):
        x = left + index * slot + (slot - bar_w) / 2
        verified_h = day.verified / peak * plot_h
        pending_h = day.pending / peak * plot_h
        label = _("%(date)s: %(verified)s verified, %(pending)s waiting") % {
            "date": formats.date_format(day.day, "DATE_FORMAT"),
            "verified": _number(day.verified),
            "pending": _number(day.pending),
        }
        bars = [
            _rect("bar", x, base - verified_h, bar_w, verified_h),
            _rect("bar-pending", x, base - verified_h - pending_h, bar_w, pending_h),
        ]
        shapes.append(_group(label, bars))
        if (len(series) - 1 - index) % 7 == 0:  # weekly dates, today's always shown
            date = formats.date_format(day.day, "M j")
            if index == len(series) - 1:  # keep the last date inside the drawing
                shapes.append(_text(x + bar_w, height - 8, date, anchor="end"))
            else:
                shapes.append(_text(x + bar_w / 2, height - 8, date, anchor="middle"))

    title = ngettext(
        "Signatures per day, last %(days)s day",
        "Signatures per day, last %(days)s days",
        len(series),
    ) % {"days": len(series)}
    summary = _(
        "%(title)s: %(verified)s verified and %(pending)s waiting for email confirmation."
    ) % {
        "title": title,
        "verified": _number(sum(d.verified for d in series)),
        "pending": _number(sum(d.pending for d in series)),
    }
    return _svg(chart_id, width, height, title, summary, shapes)


def sources_chart(rows: list[SourceCount], *, chart_id: str = "chart-sources") -> SafeString:
    """Horizontal stacked bars, one per source, largest first, each with its total."""
    width, row_h = 360, 22
    left, right, top = 96, 40, 24
    height = top + row_h * max(len(rows), 1) + 6
    plot_w = width - left - right
    peak = max((r.total for r in rows), default=0) or 1

    shapes = _legend(left, 6)
    for index, row in enumerate(rows):
        y = top + index * row_h
        verified_w = row.verified / peak * plot_w
        pending_w = row.pending / peak * plot_w
        name = row.label if len(row.label) <= 16 else row.label[:15] + "…"
        label = _("%(source)s: %(verified)s verified, %(pending)s waiting") % {
            "source": row.label,
            "verified": _number(row.verified),
            "pending": _number(row.pending),
        }
        bars = [
            _text(left - 4, y + 14, name, anchor="end"),
            _rect("bar", left, y + 4, verified_w, row_h - 6),
            _rect("bar-pending", left + verified_w, y + 4, pending_w, row_h - 6),
            _text(left + verified_w + pending_w + 3, y + 14, _number(row.total)),
        ]
        shapes.append(_group(label, bars))
    shapes.append(_line(left, top, left, height - 6))

    title = _("Signatures by source")
    summary = _("%(title)s: %(list)s.") % {
        "title": title,
        "list": "; ".join(f"{r.label} {_number(r.total)}" for r in rows) or _("none yet"),
    }
    return _svg(chart_id, width, height, title, summary, shapes)
