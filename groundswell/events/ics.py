"""iCalendar (RFC 5545) text for a shift, attached to RSVP emails.

Written by hand, small on purpose: one VEVENT per shift, times in UTC (no VTIMEZONE
needed), text escaped (3.3.11), lines folded at 75 octets (3.1), CRLF line endings.
A change keeps the UID and raises SEQUENCE, so calendar apps replace their copy.
"""

from __future__ import annotations

import datetime
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext

from groundswell.events.models import Event, Shift

PRODID = "-//Groundswell//Events//EN"
CRLF = "\r\n"


def escape(text: str) -> str:
    """A TEXT value: backslash, semicolon, comma escaped; newlines as \\n."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets, never splitting a UTF-8
    character; each continuation starts with one space (which counts)."""
    pieces: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size, limit = "", 0, 74  # the leading space takes one octet
        current += char
        size += width
    pieces.append(current)
    return (CRLF + " ").join(pieces)


def utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def uid(shift: Shift) -> str:
    host = urlsplit(settings.BASE_URL).hostname or "groundswell"
    return f"event-{shift.event_id}-shift-{shift.pk}@{host}"


def calendar(
    shift: Shift,
    *,
    include_link: bool = False,
    now: datetime.datetime | None = None,
) -> str:
    """The VCALENDAR text for one shift. `include_link` puts an online event's link in
    (only for someone who RSVPed: the link is never public)."""
    event: Event = shift.event
    page = f"{settings.BASE_URL}{event.get_absolute_url()}"
    description = event.description
    if event.accessibility:
        description = f"{description}\n\n{event.accessibility}".strip()
    description = f"{description}\n\n{page}".strip()
    # An online event's link only for someone with a seat; it is never public.
    location = (event.online_url if include_link else "") if event.is_online else event.address
    if not event.is_online and not location:
        # In person without an address yet: say so, rather than leave the place blank.
        location = event.neighborhood or gettext("Address to be announced")
    status = "CANCELLED" if event.is_cancelled else "CONFIRMED"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uid(shift)}",
        f"DTSTAMP:{utc(now or datetime.datetime.now(datetime.UTC))}",
        f"DTSTART:{utc(shift.starts_at)}",
        f"DTEND:{utc(shift.ends_at)}",
        f"SEQUENCE:{event.sequence}",
        f"STATUS:{status}",
        f"SUMMARY:{escape(event.title)}",
        f"DESCRIPTION:{escape(description)}",
    ]
    if location:
        lines.append(f"LOCATION:{escape(location)}")
    lines += [
        f"URL:{page}",
        f"ORGANIZER;CN={_param(event.owner.name)}:mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + CRLF for line in lines)


def _param(value: str) -> str:
    """A parameter value (3.2): quoted, without the characters a quoted one may not hold."""
    cleaned = "".join(c for c in value if c not in '"\r\n' and (c == "\t" or ord(c) >= 32))
    return f'"{cleaned}"'


def filename(event: Event) -> str:
    return f"event-{event.pk}.ics"
