"""Event times as people read them: in the event's own time zone, in their language."""

from __future__ import annotations

import zoneinfo

from django import template
from django.utils import formats

from groundswell.events.models import Shift

register = template.Library()


@register.simple_tag
def when(shift: Shift, zone: str) -> str:
    """ "Saturday, March 1, 2025, 6 p.m. to 8 p.m." (with an en dash) in the zone; the
    end's date too if it falls on another day."""
    tz = zoneinfo.ZoneInfo(zone)
    starts, ends = shift.starts_at.astimezone(tz), shift.ends_at.astimezone(tz)
    text = (
        f"{formats.date_format(starts, 'l')}, {formats.date_format(starts, 'DATE_FORMAT')}, "
        f"{formats.time_format(starts, 'TIME_FORMAT')}–"
    )
    if ends.date() != starts.date():
        text += f"{formats.date_format(ends, 'DATE_FORMAT')}, "
    return text + formats.time_format(ends, "TIME_FORMAT")
