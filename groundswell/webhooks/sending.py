"""Sending deliveries: the signed POST, the answer, and trying again.

Each POST carries (see docs/api.md, "Webhooks"):

    Content-Type: application/json
    X-Groundswell-Event: signature.verified
    X-Groundswell-Delivery: 812
    X-Groundswell-Timestamp: 1767225600
    X-Groundswell-Signature: sha256=<hex HMAC-SHA256 of b"<timestamp>." + body, keyed
                             with the endpoint's secret>

A 2xx answer within TIMEOUT seconds delivers it. Anything else is tried again after
RETRY_DELAYS, until DEADLINE after the first try; then the delivery has failed.

Organization admins choose the URL, so this server must not become their way into the
network it runs in: the host is resolved here, every address it resolves to must be a
public one (unless WEBHOOKS_ALLOW_PRIVATE), and the connection goes to that vetted
address (no second lookup to rebind). Redirects are never followed.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import hmac
import http.client
import ipaddress
import json
import logging
import socket
import ssl
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from groundswell.core.network import outside_transaction
from groundswell.webhooks import payloads
from groundswell.webhooks.models import Delivery, Endpoint

logger = logging.getLogger(__name__)

TIMEOUT = 10.0
# After the n-th failed try, wait RETRY_DELAYS[n - 1] (the last one repeats).
RETRY_DELAYS = (60, 300, 1800, 2 * 3600, 6 * 3600)
DEADLINE = datetime.timedelta(hours=24)
# A claimed delivery is left alone this long by other workers: longer than one try.
LEASE = datetime.timedelta(seconds=TIMEOUT * 6)
# A due delivery this late was lost by its task (a worker killed mid-send).
OVERDUE = datetime.timedelta(minutes=10)
EXCERPT = 500  # characters of the answer kept in the log
USER_AGENT = "Groundswell-Webhooks/1"


class Refused(Exception):
    """The URL leads somewhere this server must not send to."""


@dataclass(frozen=True)
class Outcome:
    status: int | None = None
    error: str = ""
    excerpt: str = ""

    @property
    def delivered(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


# --- Signing -----------------------------------------------------------------------------


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The X-Groundswell-Signature value: HMAC-SHA256 of "<timestamp>." + body."""
    signed = str(timestamp).encode() + b"." + body
    return "sha256=" + hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def encode(payload: object) -> bytes:
    """The body's bytes; keys sorted, so every try sends the same bytes whatever order
    the database keeps them in (PostgreSQL's jsonb reorders them)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


# --- The POST ----------------------------------------------------------------------------


# IPv6 ranges that carry (or once carried) an IPv4 address inside them, or that are
# deprecated, and that some Python versions count as global: a gateway or relay may turn
# them into an address on our own network (64:ff9b::10.0.0.1 is 10.0.0.1 to NAT64), so
# they are refused whatever the address embedded in them.
REFUSED_IPV6 = tuple(
    ipaddress.IPv6Network(network)
    for network in (
        "::/96",  # IPv4-compatible (deprecated)
        "::ffff:0:0:0/96",  # IPv4-translated (SIIT)
        "64:ff9b::/96",  # NAT64, well-known prefix
        "64:ff9b:1::/48",  # NAT64, local-use prefix
        "2001::/32",  # Teredo
        "2002::/16",  # 6to4
        "fec0::/10",  # site-local (deprecated)
    )
)


def allowed_address(address: str) -> bool:
    """A public unicast address (never private, loopback, link-local, reserved,
    multicast, or an IPv6 range embedding IPv4 but IPv4-mapped, which is checked as the
    IPv4 address it is), or any with WEBHOOKS_ALLOW_PRIVATE."""
    if settings.WEBHOOKS_ALLOW_PRIVATE:
        return True
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        elif any(ip in network for network in REFUSED_IPV6):
            return False
    return ip.is_global and not ip.is_multicast


def resolve(host: str, port: int) -> list[str]:
    """The addresses to connect to, all vetted; Refused if any is not allowed (a name
    resolving to one public and one private address is refused as a whole)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise OSError(f"{host} could not be resolved: {exc}") from None
    addresses = list(dict.fromkeys(str(info[4][0]) for info in found))
    for address in addresses:
        if not allowed_address(address):
            raise Refused(f"{host} resolves to {address}, which is not a public address")
    return addresses


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """Certificates and host names checked as a browser would (made once: loading the
    system's CA bundle is slow)."""
    return ssl.create_default_context()


class _PinnedHTTP(http.client.HTTPConnection):
    """HTTP to an address vetted beforehand; the Host header keeps the name."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to a vetted address; the certificate is checked against the name."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        self.tls = _tls_context()
        super().__init__(host, port, timeout=timeout, context=self.tls)
        self.address = address

    def connect(self) -> None:
        raw = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self.tls.wrap_socket(raw, server_hostname=self.host)


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float = TIMEOUT) -> Outcome:
    """POST once; the outcome, never an exception for what the network does."""
    outside_transaction("Posting a webhook")
    parts = urlsplit(url)
    host = parts.hostname or ""
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        addresses = resolve(host, port)
    except Refused as exc:
        return Outcome(error=Delivery.Error.REFUSED, excerpt=str(exc)[:EXCERPT])
    except OSError as exc:
        return Outcome(error=Delivery.Error.CONNECTION, excerpt=str(exc)[:EXCERPT])
    last: Outcome = Outcome(error=Delivery.Error.CONNECTION)
    for address in addresses:
        kind = _PinnedHTTPS if https else _PinnedHTTP
        connection = kind(host, port, address, timeout)
        try:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            # Only the start of the answer: an endpoint cannot keep a worker reading.
            text = response.read(EXCERPT * 4).decode("utf-8", "replace")[:EXCERPT]
            return Outcome(
                status=response.status,
                error="" if 200 <= response.status < 300 else Delivery.Error.STATUS,
                excerpt=text,
            )
        except TimeoutError:
            return Outcome(error=Delivery.Error.TIMEOUT, excerpt=f"no answer in {timeout:g} s")
        except (OSError, http.client.HTTPException) as exc:
            last = Outcome(error=Delivery.Error.CONNECTION, excerpt=str(exc)[:EXCERPT])
        finally:
            connection.close()
    return last


# --- Attempts ----------------------------------------------------------------------------


def claim(pk: int, now: datetime.datetime) -> Delivery | None:
    """Take a due delivery for one try (one conditional UPDATE that changes one row, so
    two workers never send the same delivery at once); None if it is not ours."""
    taken = Delivery.objects.due(now).filter(pk=pk).update(next_attempt_at=now + LEASE)
    if taken != 1:
        return None
    return Delivery.objects.select_related("endpoint", "endpoint__organization", "signature").get(
        pk=pk
    )


def next_try(delivery: Delivery, now: datetime.datetime) -> datetime.datetime | None:
    """When to try again after this failed try, or None: the day is over."""
    delay = RETRY_DELAYS[min(delivery.attempts, len(RETRY_DELAYS)) - 1]
    at = now + datetime.timedelta(seconds=delay)
    first = delivery.first_attempt_at or now
    return at if at <= first + DEADLINE else None


def record(delivery: Delivery, outcome: Outcome, now: datetime.datetime) -> Delivery:
    """Write down one try and what comes next."""
    delivery.attempts += 1
    delivery.first_attempt_at = delivery.first_attempt_at or now
    delivery.last_attempt_at = now
    delivery.response_status = outcome.status
    delivery.error = outcome.error
    delivery.response_excerpt = outcome.excerpt[:EXCERPT]
    if outcome.delivered:
        delivery.status = Delivery.Status.DELIVERED
        delivery.delivered_at = now
    else:
        again = next_try(delivery, now)
        if again is None:
            delivery.status = Delivery.Status.FAILED
        else:
            delivery.next_attempt_at = again
    delivery.save(
        update_fields=[
            "attempts",
            "first_attempt_at",
            "last_attempt_at",
            "response_status",
            "error",
            "response_excerpt",
            "status",
            "delivered_at",
            "next_attempt_at",
            "payload",
        ]
    )
    return delivery


def headers_for(delivery: Delivery, body: bytes, timestamp: int) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Groundswell-Event": delivery.event,
        "X-Groundswell-Delivery": str(delivery.pk),
        "X-Groundswell-Timestamp": str(timestamp),
        "X-Groundswell-Signature": signature(delivery.endpoint.secret, timestamp, body),
    }


def attempt(delivery: Delivery, now: datetime.datetime) -> Outcome | None:
    """Try a claimed delivery once and record it; None if there was nothing to send
    (the person is no longer the organization's supporter: the delivery is dropped)."""
    if delivery.payload is None:
        delivery.payload = payloads.render(delivery)
        if delivery.payload is None:
            delivery.delete()
            return None
    body = encode(delivery.payload)
    outcome = post(delivery.endpoint.url, body, headers_for(delivery, body, int(now.timestamp())))
    if not outcome.delivered:
        logger.info(
            "Webhook delivery %s to endpoint %s failed: %s %s",
            delivery.pk,
            delivery.endpoint_id,
            outcome.status or outcome.error,
            outcome.excerpt[:100],
        )
    record(delivery, outcome, now)
    return outcome


def send(ids: Iterable[int], *, now: datetime.datetime | None = None) -> dict[str, int]:
    """Try each of these deliveries that is due; returns how many ended how.

    An endpoint that fails is not tried again in the same run: the deliveries queued
    behind it are recorded as skipped and follow its schedule, so a dead endpoint costs
    one timeout per run, not one per delivery. Retries are queued as tasks, one per
    moment.
    """
    from groundswell.webhooks import tasks

    counts: dict[str, int] = defaultdict(int)
    failing: dict[int, tuple[Outcome, datetime.datetime]] = {}
    again: dict[datetime.datetime, list[int]] = defaultdict(list)
    for pk in ids:
        at = now or timezone.now()
        delivery = claim(pk, at)
        if delivery is None:
            continue
        if not delivery.endpoint.active:
            # Paused: it waits; activating the endpoint again queues it.
            Delivery.objects.filter(pk=pk).update(next_attempt_at=at)
            continue
        if delivery.endpoint_id in failing:
            earlier, when = failing[delivery.endpoint_id]
            skipped = Outcome(error=Delivery.Error.SKIPPED, excerpt=earlier.excerpt)
            record(delivery, skipped, when)
        else:
            try:
                outcome = attempt(delivery, at)
            except Exception as exc:
                # Our own failure (a secret sealed with a lost key, a bug): recorded as a
                # try, so the delivery still ends within its day and shows in the log.
                logger.exception("Webhook delivery %s could not be sent", delivery.pk)
                outcome = Outcome(error=Delivery.Error.INTERNAL, excerpt=type(exc).__name__)
                record(delivery, outcome, at)
            if outcome is None:
                counts["dropped"] += 1
                continue
            if not outcome.delivered:
                failing[delivery.endpoint_id] = (outcome, at)
        counts[delivery.status] += 1
        if delivery.status == Delivery.Status.PENDING:
            again[delivery.next_attempt_at].append(delivery.pk)
    for at, pks in again.items():
        tasks.send_deliveries.using(run_after=at).enqueue(pks)
    return dict(counts)


def queue_overdue(*, now: datetime.datetime | None = None, limit: int = 1000) -> int:
    """Queue deliveries long overdue (their task was lost); a periodic job."""
    from groundswell.webhooks import tasks

    now = now or timezone.now()
    ids = list(
        Delivery.objects.due(now - OVERDUE)
        .filter(endpoint__active=True)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    for start in range(0, len(ids), 200):
        tasks.send_deliveries.enqueue(ids[start : start + 200])
    return len(ids)


def requeue(endpoint: Endpoint) -> int:
    """Send what waited while the endpoint was paused (when it is activated again)."""
    from groundswell.webhooks import triggers

    now = timezone.now()
    ids = list(
        Delivery.objects.filter(endpoint=endpoint, status=Delivery.Status.PENDING).values_list(
            "pk", flat=True
        )
    )
    Delivery.objects.filter(pk__in=ids).update(next_attempt_at=now)
    triggers.send_soon(ids)
    return len(ids)
