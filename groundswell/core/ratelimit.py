"""Rate limits: how often one subject (an IP address, an email address, an API token)
may do one thing, shared by every app process and server.

Each limit is a named domain whose rate, (count, seconds), comes from a setting (see
DOMAINS). A hit counts one event in the current fixed window of `seconds` (windows
start at multiples of `seconds` since the epoch) and says at once whether the window
holds more than `count`: one atomic increment-and-read, never a count and then an
insert, so simultaneous requests cannot slip past together. What to do over the limit
(refuse, answer the same and send nothing, mark a signature suspect) is the caller's.

Where the counters live:

- With REDIS_URL, in Redis: one server-side script increments every key of a call and
  sets each to expire with its window, in one round trip (signing checks three limits).
  If Redis does not answer, the call counts in the database instead, so signing never
  fails for it; a warning is logged when that starts and again when Redis is back, and
  meanwhile Redis is tried again every REDIS_RETRY_SECONDS, so each request does not
  wait for its timeout. The counts of the two stores are not added together: around an
  outage a subject may get up to twice its limit.
- Otherwise in the database (RateCounter): one upsert per key (INSERT … ON CONFLICT …
  DO UPDATE … RETURNING), atomic on PostgreSQL and SQLite alike. A database hit is part
  of the caller's transaction: outside one it commits at once; inside one that later
  rolls back, the hit is undone with it (the attempt left no trace, so it does not
  count), and on PostgreSQL the counter row stays locked until that transaction ends,
  so hot paths hit before they open theirs. A Redis hit is never undone.

The worker's clock deletes counters whose window has ended (prune_expired).
"""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import logging
import math
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connections, router, transaction
from django.utils import timezone

from groundswell.core.models import RateCounter

logger = logging.getLogger(__name__)

# Every limit, by name: the setting holding its (count, seconds), and whose it is.
DOMAINS: dict[str, str] = {
    "sign_burst": "SIGN_RATE_BURST",  # signatures from one client on one petition
    "sign_sustained": "SIGN_RATE_SUSTAINED",  # the same over a longer window
    "sign_global": "SIGN_RATE_GLOBAL",  # signatures from one client on all petitions
    "sign_hard": "SIGN_RATE_HARD",  # ... on one petition, past which none is stored
    "form_token_use": "FORM_TOKEN_USES",  # one public form page's token, from one client
    "data_request_by_ip": "DATA_REQUEST_RATE_IP",  # data-link requests from one client
    "data_request_by_address": "DATA_REQUEST_RATE_ADDRESS",  # ... for one email address
    "data_link_relay": "DATA_REQUEST_RATE_ADDRESS",  # one organization, one address
    "api_token": "API_RATE",  # API requests with one token
    "rsvp_by_ip": "RSVP_RATE_IP",  # RSVPs from one client
    "event_proposal_by_ip": "EVENT_PROPOSAL_RATE_IP",  # event proposals from one client
    "volunteer_signup_by_ip": "VOLUNTEER_SIGNUP_RATE_IP",  # one client, one organization
    "endorsement_by_ip": "ENDORSEMENT_RATE_IP",  # coalition sign-ons from one client
    "outreach_by_ip": "OUTREACH_RATE_IP",  # messages to offices and calls from one client
    "outreach_locate_by_ip": "OUTREACH_LOCATE_RATE_IP",  # address lookups from one client
    "outreach_by_address": "OUTREACH_RATE_ADDRESS",  # confirmation emails to one address
    "case_request_by_ip": "CASE_REQUEST_RATE_IP",  # requests for help with a case
    "canvass_code_by_ip": "CANVASS_CODE_RATE_IP",  # wrong canvasser codes from one client
}

REDIS_TIMEOUT = 0.5  # seconds: a signature must not wait long for a missing Redis
REDIS_RETRY_SECONDS = 5.0  # after a failure, Redis is left alone this long
REDIS_PREFIX = "gs:rl:"
PRUNE_BATCH = 5000
KEY_MAX_LENGTH = 200  # RateCounter.key's; a longer subject is stored as its digest

# Each key's counter goes up by one and expires when its window ends: one round trip.
_COUNT_SCRIPT = """
local counts = {}
for i, key in ipairs(KEYS) do
  counts[i] = redis.call('INCR', key)
  if counts[i] == 1 then redis.call('EXPIRE', key, ARGV[i]) end
end
return counts
"""


@dataclass(frozen=True)
class Hit:
    """One event counted against one limit."""

    domain: str
    count: int  # events in the current window, this one included
    limit: int  # events the window allows
    retry_after: int  # whole seconds until the window ends (for Retry-After), at least 1

    @property
    def allowed(self) -> bool:
        return self.count <= self.limit


def rate(domain: str) -> tuple[int, int]:
    """The domain's (count, seconds), read from its setting at each call."""
    count, seconds = getattr(settings, DOMAINS[domain])
    return int(count), int(seconds)


def client_key(ip: str) -> str:
    """The subject for a client's address: IPv6 hosts get a /64 each, so one host's many
    addresses share one limit; IPv4 addresses stand for themselves."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


def hit(domain: str, subject: str) -> Hit:
    """Count one event of `domain` for `subject` (e.g. client_key(ip), an address's
    fingerprint, a token's id) and say whether it is within the limit."""
    return hit_all([(domain, subject)])[0]


def hit_all(checks: Sequence[tuple[str, str]]) -> list[Hit]:
    """Count one event against each (domain, subject), all in one round trip to Redis
    (or one transaction in the database); the hits come back in the order asked. Every
    limit is counted, whether or not another is already over."""
    now = time.time()
    plans = []
    for domain, subject in checks:
        limit, seconds = rate(domain)
        window = int(now // seconds)
        plans.append((domain, _key(domain, seconds, subject), limit, seconds, window))
    counts = _count(
        [(key, seconds, window) for _domain, key, _limit, seconds, window in plans], now
    )
    return [
        Hit(domain, count, limit, max(1, math.ceil((window + 1) * seconds - now)))
        for (domain, _key_, limit, seconds, window), count in zip(plans, counts, strict=True)
    ]


def peek(domain: str, subject: str) -> Hit:
    """The `domain` count of `subject` in the current window, without counting an event
    (a caller that counts only failures asks this before trying)."""
    now = time.time()
    limit, seconds = rate(domain)
    window = int(now // seconds)
    key = _key(domain, seconds, subject)
    count = None
    url = settings.REDIS_URL
    if url and _redis_down.get(url, 0.0) <= time.monotonic():
        import redis

        try:
            with _lock:
                client = (
                    _clients[url][0]
                    if url in _clients
                    else redis.Redis.from_url(
                        url, socket_timeout=REDIS_TIMEOUT, socket_connect_timeout=REDIS_TIMEOUT
                    )
                )
            value = client.get(f"{REDIS_PREFIX}{key}:{window}")
        except redis.RedisError as exc:
            _redis_failed(url, exc)
        else:
            count = int(value or 0)
    if count is None:
        found = RateCounter.objects.filter(key=key, window__gte=window).values_list(
            "count", flat=True
        )
        count = next(iter(found), 0)
    return Hit(domain, count, limit, max(1, math.ceil((window + 1) * seconds - now)))


def prune_expired() -> int:
    """Delete the counters whose window has ended (a periodic job); returns how many.

    In batches, so SQLite's write lock is never held long. A counter that a new hit
    moved into a new window meanwhile is kept: the delete checks its end again."""
    now = timezone.now()
    expired = RateCounter.objects.filter(expires_at__lt=now)
    deleted = 0
    while True:
        keys = list(expired.values_list("key", flat=True)[:PRUNE_BATCH])
        if keys:
            deleted += expired.filter(key__in=keys).delete()[0]
        if len(keys) < PRUNE_BATCH:
            return deleted


def forget() -> None:
    """Drop this process's Redis clients and the memory of an outage (tests)."""
    with _lock:
        _clients.clear()
        _redis_down.clear()


# --- Counting ------------------------------------------------------------------------------


def _key(domain: str, seconds: int, subject: str) -> str:
    """The counter's name. The window's length is part of it, so a changed setting
    starts fresh counters instead of reading old windows of another length."""
    key = f"{domain}:{seconds}:{subject}"
    if len(key) > KEY_MAX_LENGTH:
        key = f"{domain}:{seconds}:#{hashlib.sha256(subject.encode()).hexdigest()}"
    return key


def _count(counters: list[tuple[str, int, int]], now: float) -> list[int]:
    """Increment each (key, seconds, window) and return the counts, in Redis when it
    is configured and answers, else in the database."""
    url = settings.REDIS_URL
    if url and _redis_down.get(url, 0.0) <= time.monotonic():
        import redis

        try:
            counts = _count_in_redis(url, counters, now)
        except redis.RedisError as exc:
            _redis_failed(url, exc)
        else:
            _redis_answered(url)
            return counts
    return _count_in_database(counters, now)


_lock = threading.Lock()
_clients: dict[str, tuple[Any, Any]] = {}  # REDIS_URL -> (client, registered script)
_redis_down: dict[str, float] = {}  # REDIS_URL -> when (monotonic) to try it again


def _count_in_redis(url: str, counters: list[tuple[str, int, int]], now: float) -> list[int]:
    with _lock:
        if url not in _clients:
            import redis
            from redis.backoff import NoBackoff
            from redis.retry import Retry

            client = redis.Redis.from_url(
                url,
                socket_timeout=REDIS_TIMEOUT,
                socket_connect_timeout=REDIS_TIMEOUT,
                retry=Retry(NoBackoff(), 1),  # once more at once: a stale pooled connection
            )
            _clients[url] = (client, client.register_script(_COUNT_SCRIPT))
        _client, script = _clients[url]
    keys = [f"{REDIS_PREFIX}{key}:{window}" for key, _seconds, window in counters]
    # Each counter lives until its window ends (and a second more, for clock skew).
    ttls = [max(1, math.ceil((window + 1) * seconds - now)) + 1 for _k, seconds, window in counters]
    return [int(count) for count in script(keys=keys, args=ttls)]


def _redis_failed(url: str, exc: BaseException) -> None:
    with _lock:
        starting = url not in _redis_down
        _redis_down[url] = time.monotonic() + REDIS_RETRY_SECONDS
    if starting:
        logger.warning(
            "Redis does not answer for rate limits (%s: %s); counting in the database "
            "until it does",
            type(exc).__name__,
            exc,
        )


def _redis_answered(url: str) -> None:
    if url not in _redis_down:
        return
    with _lock:
        was_down = _redis_down.pop(url, None) is not None
    if was_down:
        logger.warning("Redis answers again; rate limits count there")


def _upsert_sql(quote: Any) -> str:
    """The one statement that counts a hit: identifiers from RateCounter's _meta (quoted:
    "window" is reserved on PostgreSQL), values as parameters (key, window, expires_at).

    A counter in an older window starts again at 1; one in the current window (or, from
    a server whose clock lags a little, a newer one) counts on. Comparing with < rather
    than = keeps servers whose clocks differ slightly from resetting it in turn."""
    meta = RateCounter._meta
    table = quote(meta.db_table)
    columns = {field.name: quote(field.column) for field in meta.concrete_fields}
    key, window, count, expires = (columns[n] for n in ("key", "window", "count", "expires_at"))
    older = f"{table}.{window} < excluded.{window}"
    return (
        f"INSERT INTO {table} ({key}, {window}, {count}, {expires}) "  # noqa: S608
        f"VALUES (%s, %s, 1, %s) ON CONFLICT ({key}) DO UPDATE SET "
        f"{count} = CASE WHEN {older} THEN 1 ELSE {table}.{count} + 1 END, "
        f"{expires} = CASE WHEN {older} THEN excluded.{expires} ELSE {table}.{expires} END, "
        f"{window} = CASE WHEN {older} THEN excluded.{window} ELSE {table}.{window} END "
        f"RETURNING {count}"
    )


def _count_in_database(counters: list[tuple[str, int, int]], now: float) -> list[int]:
    connection = connections[router.db_for_write(RateCounter)]
    sql = _upsert_sql(connection.ops.quote_name)
    counts = [0] * len(counters)
    # Keys in one order in every process, so two calls sharing keys never deadlock.
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for i in sorted(range(len(counters)), key=lambda i: counters[i][0]):
            key, seconds, window = counters[i]
            ends = datetime.datetime.fromtimestamp((window + 1) * seconds, tz=datetime.UTC)
            cursor.execute(sql, [key, window, connection.ops.adapt_datetimefield_value(ends)])
            counts[i] = int(cursor.fetchone()[0])
    return counts
