"""A small shared cache in front of Django, for crowds of anonymous readers.

A petition in a surge is read far more than it is signed: its page and its count.json,
by every person who follows a link, and again by every browser that polls the count.
Those answers already say how long a shared cache may keep them (`Cache-Control:
public, s-maxage=…` for people who are not signed in), so a proxy in front can absorb
a crowd. Many installations have no such proxy, so each app process keeps the same
answers for at most `READER_CACHE_SECONDS` itself, following the rules a shared HTTP
cache follows (RFC 9111):

- only GET requests without an `Authorization` header;
- only complete 200 answers that say `public` or `s-maxage`, and neither `private`,
  `no-store` nor `no-cache`, and that set no cookie;
- one copy per URL and per value of each request header the answer `Vary`s on
  (`Cookie` and `Accept-Language` for petition pages), so a person with a session or a
  language of their own never gets somebody else's copy; `Vary: *` is never kept;
- kept for the shorter of the answer's own lifetime and `READER_CACHE_SECONDS`.

A hit costs a dictionary lookup: no middleware, no view, no database, no Redis.
Streamed answers (exports) are never read into memory. The cache holds at most
`MAX_ENTRIES` URLs, `MAX_VARIANTS` copies of each, answers up to `MAX_BODY` bytes and
`MAX_BYTES` in all, so nobody can fill a process's memory by varying URLs or cookies.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

MAX_ENTRIES = 256
MAX_VARIANTS = 32
MAX_BODY = 512 * 1024
MAX_BYTES = 32 * 1024 * 1024

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


@dataclass(frozen=True, slots=True)
class Stored:
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    stored_at: float
    expires_at: float


def freshness(headers: list[tuple[str, str]]) -> float:
    """Seconds a shared cache may keep this answer, 0 when it may not keep it at all."""
    lifetime = 0.0
    shared = False
    directives: dict[str, str] = {}
    for name, value in headers:
        lower = name.lower()
        if lower == "set-cookie":
            return 0.0
        if lower == "vary" and value.strip() == "*":
            return 0.0
        if lower == "cache-control":
            for part in value.split(","):
                key, _, arg = part.strip().partition("=")
                directives[key.lower()] = arg.strip().strip('"')
    if {"private", "no-store", "no-cache"} & directives.keys():
        return 0.0
    for key in ("s-maxage", "max-age"):
        if key in directives:
            try:
                lifetime = float(directives[key])
            except ValueError:
                return 0.0
            shared = shared or key == "s-maxage"
            break
    shared = shared or "public" in directives
    return lifetime if shared and lifetime > 0 else 0.0


def vary_names(headers: list[tuple[str, str]]) -> tuple[str, ...]:
    names: list[str] = []
    for name, value in headers:
        if name.lower() == "vary":
            names += [part.strip().lower() for part in value.split(",") if part.strip()]
    return tuple(sorted(set(names)))


def _environ_key(header: str) -> str:
    return "HTTP_" + header.upper().replace("-", "_")


class ReaderCache:
    """WSGI middleware: see the module's docstring."""

    def __init__(self, app: WSGIApp, seconds: float, clock: Callable[[], float] = time.monotonic):
        self.app = app
        self.seconds = seconds
        self.clock = clock
        self._urls: dict[tuple[str, ...], tuple[tuple[str, ...], dict[tuple[str, ...], Stored]]]
        self._urls = {}
        self._bytes = 0
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if (
            self.seconds <= 0
            or environ.get("REQUEST_METHOD") != "GET"
            or "HTTP_AUTHORIZATION" in environ
        ):
            return self.app(environ, start_response)
        url = (
            environ.get("wsgi.url_scheme", "http"),
            environ.get("HTTP_X_FORWARDED_PROTO", ""),
            environ.get("HTTP_HOST", ""),
            environ.get("SCRIPT_NAME", ""),
            environ.get("PATH_INFO", ""),
            environ.get("QUERY_STRING", ""),
        )
        now = self.clock()
        known = self._urls.get(url)
        if known is not None:
            names, variants = known
            stored = variants.get(tuple(environ.get(_environ_key(n), "") for n in names))
            if stored is not None and stored.expires_at > now:
                age = str(int(now - stored.stored_at))
                start_response(stored.status, [*stored.headers, ("Age", age)])
                return [stored.body]
        return self._fetch(url, environ, start_response, now)

    def _fetch(
        self,
        url: tuple[str, ...],
        environ: dict[str, Any],
        start_response: Callable[..., Any],
        now: float,
    ) -> Any:
        answer: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            # Held back until we know whether the answer is kept (Django calls this once,
            # before returning); an error report goes straight through.
            answer["status"], answer["headers"] = status, headers
            if exc_info is not None or answer.get("late"):
                answer["passed"] = True
                return start_response(status, headers, exc_info)
            return None

        result = self.app(environ, capture)
        status, headers = answer.get("status"), answer.get("headers")
        if status is None or headers is None:  # it answers when iterated: pass it on
            answer["late"] = True
            return result
        if answer.get("passed"):
            return result
        lifetime = min(freshness(headers), self.seconds) if status.startswith("200") else 0
        # Only a Django response that holds its whole body (never a stream) is kept.
        keep = lifetime > 0 and getattr(result, "streaming", True) is False
        if not keep:
            start_response(status, headers)
            return result
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        if len(body) <= MAX_BODY:
            self._store(url, environ, Stored(status, headers, body, now, now + lifetime))
        start_response(status, headers)
        return [body]

    def _store(self, url: tuple[str, ...], environ: dict[str, Any], stored: Stored) -> None:
        names = vary_names(stored.headers)
        values = tuple(environ.get(_environ_key(n), "") for n in names)
        with self._lock:
            if self._bytes + len(stored.body) > MAX_BYTES or (
                url not in self._urls and len(self._urls) >= MAX_ENTRIES
            ):
                self._evict(stored.stored_at)
            known = self._urls.get(url)
            if known is None or known[0] != names:
                if known is not None:
                    self._bytes -= sum(len(s.body) for s in known[1].values())
                known = (names, {})
                self._urls[url] = known
            variants = known[1]
            if len(variants) >= MAX_VARIANTS and values not in variants:
                self._bytes -= sum(len(s.body) for s in variants.values())
                variants.clear()
            replaced = variants.get(values)
            self._bytes += len(stored.body) - (len(replaced.body) if replaced else 0)
            variants[values] = stored

    def _evict(self, now: float) -> None:
        """Drop what has expired; if that is not enough room, start again empty."""
        for url, (_names, variants) in list(self._urls.items()):
            for values, stored in list(variants.items()):
                if stored.expires_at <= now:
                    self._bytes -= len(stored.body)
                    del variants[values]
            if not variants:
                del self._urls[url]
        if len(self._urls) >= MAX_ENTRIES or self._bytes > MAX_BYTES // 2:
            self._urls.clear()
            self._bytes = 0
