"""Providers that carry our texts to phones, behind one small interface.

`provider()` reads SMS_URL (texts.config): Twilio's REST shape, or the console (the demo
logs each text instead of sending it). A provider does two things: send one text, and
tell whether an inbound request really comes from it (its signature).

Sending answers with an `Outcome`, which decides what the sender may do next. A text is
sent at most once (docs/texts.md): Twilio's Messages API takes no idempotency key, so a
request whose answer we did not read may have gone out, and is never repeated:

- SENT: the provider took it (2xx).
- RETRY: the provider certainly did not take it: 429 (too many), 503 (unavailable), or
  the connection failed before the request was out. Tried again later.
- FAILED: refused for good (any other 4xx: a bad number, an unsubscribed one).
- UNKNOWN: the request went out but no usable answer came back (a timeout, a reset,
  another 5xx). It may have been delivered; it is not sent again.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlencode

from django.conf import settings

from groundswell.core import network
from groundswell.texts.config import ProviderConfig, provider_config

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10.0
# Twilio's error for a number that replied STOP to our sending number.
TWILIO_UNSUBSCRIBED = 21610


class Outcome(enum.Enum):
    SENT = "sent"
    RETRY = "retry"
    FAILED = "failed"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Result:
    outcome: Outcome
    provider_id: str = ""
    error: str = ""
    retry_after: float | None = None
    # The provider says the number opted out of our texts (Twilio 21610).
    opted_out: bool = False


class Provider(Protocol):
    name: str

    def send(self, to: str, body: str) -> Result: ...

    def verify(self, url: str, params: Mapping[str, str], signature: str) -> bool: ...


class Console:
    """Logs each text instead of sending it (the demo, development)."""

    name = "console"

    def __init__(self, config: ProviderConfig) -> None:
        self.sender = config.sender
        self.sent = 0

    def send(self, to: str, body: str) -> Result:
        self.sent += 1
        logger.info("Text to %s: %s", to, body)
        return Result(Outcome.SENT, provider_id=f"console-{self.sent}")

    def verify(self, url: str, params: Mapping[str, str], signature: str) -> bool:
        return False  # nobody can reply to the console


def twilio_signature(token: str, url: str, params: Mapping[str, str]) -> str:
    """X-Twilio-Signature: HMAC-SHA1 under the auth token of the full URL followed by
    each POST parameter's name and value, sorted by name; base64."""
    payload = url + "".join(f"{key}{params[key]}" for key in sorted(params))
    digest = hmac.new(token.encode(), payload.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def _retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


class Twilio:
    """Twilio's REST API: POST {base}/2010-04-01/Accounts/{sid}/Messages.json with
    To, From and Body form-encoded, under HTTP basic auth (SID, auth token)."""

    name = "twilio"

    def __init__(self, config: ProviderConfig) -> None:
        self.config = config
        self.url = f"{config.base_url}/2010-04-01/Accounts/{config.account}/Messages.json"
        credentials = f"{config.account}:{config.token}".encode()
        self.authorization = "Basic " + base64.b64encode(credentials).decode()

    def send(self, to: str, body: str) -> Result:
        data = urlencode({"To": to, "From": self.config.sender, "Body": body}).encode()
        network.outside_transaction("A text to the SMS provider")
        # The scheme is http or https (texts.config builds the URL).
        request = urllib.request.Request(  # noqa: S310
            self.url,
            data=data,
            method="POST",
            headers={
                "Authorization": self.authorization,
                "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                "Accept": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
                answer = response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            return self._refused(error.code, error.read(), error.headers.get("Retry-After"))
        except urllib.error.URLError as error:
            # Raised while connecting or writing: the request never reached Twilio whole.
            return Result(Outcome.RETRY, error=f"connection: {error.reason}"[:200])
        except OSError as error:  # the answer never came (timeout, reset)
            return Result(Outcome.UNKNOWN, error=f"no answer: {error}"[:200])
        try:
            sid = str(json.loads(answer).get("sid", ""))
        except (ValueError, AttributeError):
            sid = ""
        if 200 <= status < 300:
            return Result(Outcome.SENT, provider_id=sid[:64])
        return Result(Outcome.UNKNOWN, error=f"HTTP {status}")

    @staticmethod
    def _refused(status: int, answer: bytes, retry_after: str | None) -> Result:
        try:
            details = json.loads(answer)
            code, message = details.get("code"), str(details.get("message", ""))
        except (ValueError, AttributeError):
            code, message = None, ""
        error = f"HTTP {status}" + (f" ({code}) {message}" if code else "")
        if status in (429, 503):
            return Result(Outcome.RETRY, error=error[:200], retry_after=_retry_after(retry_after))
        if 400 <= status < 500:
            return Result(Outcome.FAILED, error=error[:200], opted_out=code == TWILIO_UNSUBSCRIBED)
        return Result(Outcome.UNKNOWN, error=error[:200])

    def verify(self, url: str, params: Mapping[str, str], signature: str) -> bool:
        expected = twilio_signature(self.config.token, url, params)
        return hmac.compare_digest(expected.encode(), (signature or "").encode())


_cache: dict[str, Provider] = {}


def provider() -> Provider:
    """The provider SMS_URL names (one per URL and process)."""
    url = settings.SMS_URL
    if url not in _cache:
        config = provider_config(url)
        _cache[url] = Twilio(config) if config.kind == "twilio" else Console(config)
    return _cache[url]
