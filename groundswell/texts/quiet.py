"""Quiet hours: no text reaches anyone between TEXTS_QUIET_HOURS (default 21:00-09:00)
at the recipient's. A text due then waits until they end (deferred, not dropped)."""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings

from groundswell.organizations.models import Organization
from groundswell.texts.config import quiet_hours


def zone_of(organization: Organization) -> str:
    """The time zone of the organization's supporters who have none of their own: its
    texts' setting (texts.models.TextSettings), else the site's TIME_ZONE."""
    from groundswell.texts.models import TextSettings

    chosen = (
        TextSettings.objects.filter(organization=organization)
        .values_list("time_zone", flat=True)
        .first()
    )
    return chosen or settings.TIME_ZONE


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def quiet_until(zone: str, now: datetime.datetime) -> datetime.datetime | None:
    """When the quiet hours now under way in `zone` end (aware), or None if texts may
    go out now."""
    start, end = quiet_hours(settings.TEXTS_QUIET_HOURS)
    if start == end:
        return None
    tz = _zone(zone)
    local = now.astimezone(tz)
    moment = local.time()
    quiet = (start <= moment < end) if start < end else (moment >= start or moment < end)
    if not quiet:
        return None
    day = local.date() if moment < end else local.date() + datetime.timedelta(days=1)
    return datetime.datetime.combine(day, end, tzinfo=tz)
