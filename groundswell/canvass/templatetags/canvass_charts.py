"""Template tags drawing the canvass charts (groundswell.canvass.charts)."""

from __future__ import annotations

from collections.abc import Sequence

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from groundswell.canvass.charts import bars, percent
from groundswell.canvass.dashboard import Area

register = template.Library()


@register.simple_tag
def completion_chart(areas: Sequence[Area]) -> SafeString:
    return bars(
        [(a.label, a.completion, percent(a.completion)) for a in areas],
        title=_("Doors knocked"),
        scale=1.0,
    )


@register.simple_tag
def rate_chart(areas: Sequence[Area]) -> SafeString:
    return bars(
        [(a.label, a.rate, percent(a.rate)) for a in areas], title=_("Contact rate"), scale=1.0
    )


@register.simple_tag
def count_chart(rows: Sequence[tuple[str, int]], title: str) -> SafeString:
    return bars([(label, float(n), str(n)) for label, n in rows], title=title)
