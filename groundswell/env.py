"""Typed readers for configuration from the environment.

Each helper fails loudly with ImproperlyConfigured on a value it cannot read,
so a typo in production stops the process at start instead of misbehaving later.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


def env_float(name: str, default: float, *, minimum: float | None = None) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {raw!r}") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
    return value


def env_rate(name: str, default: str) -> tuple[int, int]:
    """A rate such as "5/60": at most 5 events per 60 seconds."""
    raw = os.environ.get(name, default).strip()
    count, sep, seconds = raw.partition("/")
    try:
        rate = (int(count), int(seconds))
    except ValueError:
        rate = (0, 0)
    if not sep or rate[0] < 1 or rate[1] < 1:
        raise ImproperlyConfigured(f"{name} must look like 5/60 (events/seconds), not {raw!r}")
    return rate


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_url(name: str, default: str, *, schemes: tuple[str, ...] = ("http", "https")) -> str:
    raw = os.environ.get(name, default).strip()
    parts = urlsplit(raw)
    if parts.scheme not in schemes or not parts.netloc:
        raise ImproperlyConfigured(
            f"{name} must be an absolute {'/'.join(schemes)} URL such as "
            f"https://example.org, not {raw!r}"
        )
    return raw.rstrip("/")


def email_settings(url: str) -> dict[str, Any]:
    """Translate EMAIL_URL into Django's EMAIL_* settings.

    smtp://user:pass@host:port    plain SMTP, STARTTLS with ?tls=true
    smtps://user:pass@host:port   SMTP over TLS
    console:                      print messages to standard output
    file:/path/to/dir             write each message to a file there
    """
    parts = urlsplit(url)
    scheme = parts.scheme
    if scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if scheme == "file":
        path = unquote(parts.path or parts.netloc)
        if not path:
            raise ImproperlyConfigured("EMAIL_URL file: needs a folder, e.g. file:/var/mail")
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": path,
        }
    if scheme in ("smtp", "smtps"):
        if not parts.hostname:
            raise ImproperlyConfigured(f"EMAIL_URL needs a host: {url!r}")
        query = parse_qs(parts.query)
        try:
            port = parts.port or (465 if scheme == "smtps" else 25)
        except ValueError:
            raise ImproperlyConfigured(f"EMAIL_URL has a bad port: {url!r}") from None
        tls = query.get("tls", ["false"])[0].lower() in TRUE_WORDS
        timeout = query.get("timeout", ["20"])[0]
        try:
            timeout_seconds = int(timeout)
        except ValueError:
            raise ImproperlyConfigured(
                f"EMAIL_URL timeout must be whole seconds: {url!r}"
            ) from None
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname,
            "EMAIL_PORT": port,
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_SSL": scheme == "smtps",
            "EMAIL_USE_TLS": tls and scheme == "smtp",
            "EMAIL_TIMEOUT": timeout_seconds,
        }
    raise ImproperlyConfigured(
        f"EMAIL_URL must start with smtp://, smtps://, console: or file:, not {url!r}"
    )
