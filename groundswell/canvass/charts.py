"""Server-rendered SVG bar charts for the canvass dashboard and the captain's page
(no scripts, no third-party anything). Each chart has a text alternative, and the
pages show the same figures in a table beside it."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 320
ROW = 22
LABEL = 110
BAR_COLOUR = "#1d4f91"
BACK_COLOUR = "#dde5f0"


def bars(
    rows: Sequence[tuple[str, float, str]], *, title: str, scale: float | None = None
) -> SafeString:
    """One horizontal bar per (label, value, shown text) row; `scale` is the value of a
    full bar (the largest value by default)."""
    top = scale if scale is not None else max((r[1] for r in rows), default=0.0)
    span = WIDTH - LABEL - 50
    height = ROW * max(len(rows), 1) + 4
    parts = format_html_join(
        "",
        '<text x="0" y="{}" font-size="12" fill="#222">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="14" fill="{}"/>'
        '<rect x="{}" y="{}" width="{}" height="14" fill="{}"/>'
        '<text x="{}" y="{}" font-size="12" fill="#222">{}</text>',
        (
            (
                i * ROW + 15,
                label[:16],
                LABEL,
                i * ROW + 4,
                span,
                BACK_COLOUR,
                LABEL,
                i * ROW + 4,
                f"{(value / top * span) if top else 0.0:.1f}",
                BAR_COLOUR,
                LABEL + span + 4,
                i * ROW + 15,
                shown,
            )
            for i, (label, value, shown) in enumerate(rows)
        ),
    )
    summary = "; ".join(f"{label}: {shown}" for label, _value, shown in rows)
    return format_html(
        '<svg class="chart" role="img" viewBox="0 0 {} {}" width="100%" '
        'preserveAspectRatio="xMinYMin meet" aria-label="{}"><title>{}</title>{}</svg>',
        WIDTH,
        height,
        f"{title}: {summary}",
        title,
        parts,
    )


def percent(value: float) -> str:
    return f"{round(value * 100)}%"
