"""Bar charts drawn on the server as SVG: a title, one bar per row, the count at the
bar's end. The table beside the chart is its accessible equivalent; the SVG carries a
title and a description for whoever meets it alone."""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 320
LABEL_WIDTH = 130
BAR_HEIGHT = 18
GAP = 6
FILL = "#2b5a8a"  # 7:1 against white for the labels' neighbours


def bars(rows: list[tuple[str, int]], *, title: str, description: str, uid: str) -> SafeString:
    """A horizontal bar chart of (label, value) rows, at most 20 shown."""
    rows = rows[:20]
    top = max((value for _label, value in rows), default=0) or 1
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP
    room = WIDTH - LABEL_WIDTH - 40
    parts = [
        f'<svg class="research-chart" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'role="img" aria-labelledby="{uid}-t {uid}-d" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{uid}-t">{escape(title)}</title>',
        f'<desc id="{uid}-d">{escape(description)}</desc>',
    ]
    for i, (label, value) in enumerate(rows):
        y = GAP + i * (BAR_HEIGHT + GAP)
        width = max(1, round(room * value / top)) if value else 0
        short = label if len(label) <= 20 else label[:19] + "…"
        parts.append(
            f'<text x="{LABEL_WIDTH - 4}" y="{y + 13}" text-anchor="end" '
            f'font-size="11" fill="#222">{escape(short)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR_HEIGHT}" '
            f'fill="{FILL}"/>'
            f'<text x="{LABEL_WIDTH + width + 4}" y="{y + 13}" font-size="11" '
            f'fill="#222">{value}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))
