"""Reading the text messages' settings: SMS_URL (which provider, with what account and
sending number) and TEXTS_QUIET_HOURS. Settings call these at start-up, so a mistake is
a clear ImproperlyConfigured there rather than a failed send hours later.

    twilio://SID:TOKEN@api.twilio.com?from=+13125550100   Twilio's REST API (HTTPS)
    twilio+http://SID:TOKEN@127.0.0.1:8080?from=+1312…     the same shape over plain HTTP
                                                           (a local test server only)
    console:                                               log each text, send nothing
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
HOURS = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@dataclass(frozen=True)
class ProviderConfig:
    kind: str  # "twilio" or "console"
    base_url: str = ""  # https://api.twilio.com
    account: str = ""
    token: str = ""
    sender: str = ""  # the From number, E.164


def _query(raw: str) -> dict[str, str]:
    # Not parse_qs: it reads "+" as a space, and every E.164 number starts with one.
    pairs = (part.split("=", 1) for part in raw.split("&") if "=" in part)
    return {unquote(key): unquote(value) for key, value in pairs}


def provider_config(url: str) -> ProviderConfig:
    """SMS_URL read into its parts; ImproperlyConfigured with the fix when it is wrong."""
    parts = urlsplit(url.strip())
    if parts.scheme == "console":
        return ProviderConfig(kind="console", sender=_query(parts.query).get("from", ""))
    if parts.scheme in ("twilio", "twilio+http"):
        try:
            port = parts.port
        except ValueError:
            raise ImproperlyConfigured(f"SMS_URL has a bad port: {url!r}") from None
        if not parts.hostname or not parts.username or not parts.password:
            raise ImproperlyConfigured(
                "SMS_URL for Twilio needs the account SID and auth token: "
                "twilio://ACxxxx:TOKEN@api.twilio.com?from=+13125550100"
            )
        sender = _query(parts.query).get("from", "").strip()
        if not E164.match(sender):
            raise ImproperlyConfigured(
                "SMS_URL needs the sending number in E.164 form, e.g. ?from=+13125550100 "
                f"(got {sender!r})"
            )
        scheme = "http" if parts.scheme == "twilio+http" else "https"
        host = parts.hostname + (f":{port}" if port else "")
        return ProviderConfig(
            kind="twilio",
            base_url=f"{scheme}://{host}",
            account=unquote(parts.username),
            token=unquote(parts.password),
            sender=sender,
        )
    raise ImproperlyConfigured(
        f"SMS_URL must start with twilio://, twilio+http:// or console:, not {url!r}"
    )


def quiet_hours(raw: str) -> tuple[datetime.time, datetime.time]:
    """TEXTS_QUIET_HOURS ("21:00-09:00": from nine at night to nine in the morning) as
    (start, end); equal times mean no quiet hours."""
    found = HOURS.match(raw or "")
    if not found:
        raise ImproperlyConfigured(f"TEXTS_QUIET_HOURS must look like 21:00-09:00, not {raw!r}")
    h1, m1, h2, m2 = (int(g) for g in found.groups())
    try:
        return datetime.time(h1, m1), datetime.time(h2, m2)
    except ValueError:
        raise ImproperlyConfigured(
            f"TEXTS_QUIET_HOURS must hold two times of day, not {raw!r}"
        ) from None
