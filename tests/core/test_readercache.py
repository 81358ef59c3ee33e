"""The app's own shared cache in front of Django (groundswell.core.readercache): a crowd
of anonymous readers shares one page, and nobody ever gets a page meant for someone else.

These drive the real Django WSGI application through the cache, as the app server does.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.http import HttpResponse, StreamingHttpResponse

from groundswell.accounts.models import User
from groundswell.core.readercache import MAX_BODY, ReaderCache, freshness, vary_names
from groundswell.petitions import actions, counts
from groundswell.petitions.models import Petition
from tests.petitions.test_counts import add_signatures


@dataclass
class Clock:
    now: float = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Answer:
    status: str
    headers: list[tuple[str, str]]
    body: bytes
    calls: list[str] = field(default_factory=list)

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    @property
    def text(self) -> str:
        return self.body.decode()


def call(
    app: Any, path: str, *, method: str = "GET", headers: dict[str, str] | None = None
) -> Answer:
    path_info, _, query = path.partition("?")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path_info,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_LENGTH": "0",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for name, value in (headers or {}).items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    started: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]], exc: Any = None):
        started.update(status=status, headers=response_headers)

    result = app(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return Answer(started["status"], started["headers"], body)


@pytest.fixture(autouse=True)
def connections_left_open() -> Iterator[None]:
    """Like the test client, leave the test's database connection (inside the test's
    transaction) open at the end of each request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def django_app() -> WSGIHandler:
    return WSGIHandler()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def cached(django_app: WSGIHandler, clock: Clock) -> ReaderCache:
    return ReaderCache(django_app, seconds=1.0, clock=clock)


# --- Through Django, with a petition ---------------------------------------------------------


@pytest.mark.django_db
def test_a_crowd_shares_one_page_until_it_is_a_second_old(
    cached: ReaderCache, clock: Clock, petition: Petition
) -> None:
    url = f"/petitions/{petition.slug}/"
    first = call(cached, url)
    assert first.status.startswith("200") and first.header("Age") is None
    add_signatures(petition, 30, verified=True)
    counts.recount(petition)
    clock.now += 0.5
    again = call(cached, url)
    assert again.body == first.body and again.header("Age") == "0"
    assert "30 have signed" not in again.text
    clock.now += 0.6
    assert "30 have signed" in call(cached, url).text


@pytest.mark.django_db
def test_count_json_is_shared_for_at_most_a_second(
    cached: ReaderCache, clock: Clock, petition: Petition
) -> None:
    url = f"/petitions/{petition.slug}/count.json"
    assert b'"count": 0' in call(cached, url).body
    actions.set_counts_unverified(petition, True)
    add_signatures(petition, 5, verified=False)
    counts.recount(petition)
    assert b'"count": 0' in call(cached, url).body
    clock.now += 1.01
    assert b'"count": 5' in call(cached, url).body


@pytest.mark.django_db
def test_each_language_gets_its_own_copy(cached: ReaderCache, petition: Petition) -> None:
    url = f"/petitions/{petition.slug}/"
    assert '<html lang="en">' in call(cached, url).text
    spanish = call(cached, url, headers={"Accept-Language": "es"})
    assert '<html lang="es">' in spanish.text
    assert '<html lang="en">' in call(cached, url).text
    assert '<html lang="es">' in call(cached, url, headers={"Accept-Language": "es"}).text


@pytest.mark.django_db
def test_a_signed_in_page_is_never_kept_nor_served_to_anyone_else(
    cached: ReaderCache, petition: Petition, owner: User, client: Any
) -> None:
    url = f"/petitions/{petition.slug}/"
    client.force_login(owner)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    mine = call(cached, url, headers={"Cookie": cookie})
    assert "Log out" in mine.text and "private" in (mine.header("Cache-Control") or "")
    anonymous = call(cached, url)
    assert "Log out" not in anonymous.text
    # The anonymous copy is kept, and a signed-in reader never gets it: Vary: Cookie.
    assert "Log out" in call(cached, url, headers={"Cookie": cookie}).text
    assert call(cached, url).header("Age") == "0"


@pytest.mark.django_db
def test_a_request_with_credentials_and_other_methods_go_straight_through(
    cached: ReaderCache, petition: Petition
) -> None:
    url = f"/petitions/{petition.slug}/"
    call(cached, url)
    assert call(cached, url, headers={"Authorization": "Bearer x"}).header("Age") is None
    assert call(cached, url, method="HEAD").header("Age") is None
    assert call(cached, url).header("Age") == "0"


@pytest.mark.django_db
def test_pages_that_may_not_be_shared_are_never_kept(
    cached: ReaderCache, petition: Petition
) -> None:
    for url in ("/healthz", f"/petitions/{petition.slug}/not-a-page/", "/accounts/login/"):
        call(cached, url)
        assert call(cached, url).header("Age") is None, url


@pytest.mark.django_db
def test_turned_off_it_keeps_nothing(django_app: WSGIHandler, petition: Petition) -> None:
    off = ReaderCache(django_app, seconds=0)
    url = f"/petitions/{petition.slug}/"
    call(off, url)
    assert call(off, url).header("Age") is None


# --- The HTTP rules, on small WSGI applications ----------------------------------------------


def django_response(response: HttpResponse | StreamingHttpResponse) -> Any:
    calls: list[int] = []

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        calls.append(1)
        headers = [*response.items()]  # and the cookies, as Django's WSGIHandler sends them
        headers += [("Set-Cookie", c.OutputString()) for c in response.cookies.values()]
        start_response(f"{response.status_code} {response.reason_phrase}", headers)
        return response

    app.calls = calls  # type: ignore[attr-defined]
    return app


def test_a_set_cookie_answer_is_never_kept(clock: Clock) -> None:
    response = HttpResponse(b"hello", headers={"Cache-Control": "public, s-maxage=60"})
    response.set_cookie("session", "secret")
    app = django_response(response)
    cache = ReaderCache(app, seconds=5, clock=clock)
    call(cache, "/x")
    call(cache, "/x")
    assert len(app.calls) == 2


def test_a_stream_is_passed_on_and_never_read_into_memory(clock: Clock) -> None:
    produced: list[int] = []

    def rows() -> Iterator[bytes]:
        for i in range(3):
            produced.append(i)
            yield b"row\n"

    response = StreamingHttpResponse(rows(), headers={"Cache-Control": "public, max-age=60"})
    app = django_response(response)
    cache = ReaderCache(app, seconds=5, clock=clock)
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/export"}
    result = cache(environ, lambda *a: None)
    assert produced == []  # nothing read before the server iterates
    assert b"".join(result) == b"row\n" * 3


def test_an_answer_larger_than_the_limit_is_served_but_not_kept(clock: Clock) -> None:
    big = HttpResponse(b"x" * (MAX_BODY + 1), headers={"Cache-Control": "public, max-age=60"})
    app = django_response(big)
    cache = ReaderCache(app, seconds=5, clock=clock)
    assert len(call(cache, "/big").body) == MAX_BODY + 1
    assert call(cache, "/big").header("Age") is None


@pytest.mark.parametrize(
    ("cache_control", "expected"),
    [
        ("public, s-maxage=10", 10.0),
        ("public, max-age=2", 2.0),
        ("max-age=0, s-maxage=10", 10.0),
        ("s-maxage=5", 5.0),
        ("max-age=60", 0.0),  # a browser may keep it; a shared cache only with "public"
        ("public, max-age=0", 0.0),
        ("private, max-age=60", 0.0),
        ("public, no-store, max-age=60", 0.0),
        ("public, no-cache, max-age=60", 0.0),
        ("public, max-age=soon", 0.0),
        ("", 0.0),
    ],
)
def test_freshness_follows_the_shared_cache_rules(cache_control: str, expected: float) -> None:
    assert freshness([("Cache-Control", cache_control)]) == expected


def test_vary_star_and_set_cookie_are_never_kept() -> None:
    assert freshness([("Cache-Control", "public, max-age=5"), ("Vary", "*")]) == 0.0
    assert freshness([("Cache-Control", "public, max-age=5"), ("Set-Cookie", "a=b")]) == 0.0
    assert vary_names([("Vary", "Cookie, Accept-Language"), ("vary", "cookie")]) == (
        "accept-language",
        "cookie",
    )


def test_memory_stays_bounded_whatever_urls_and_cookies_come(
    clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from groundswell.core import readercache

    monkeypatch.setattr(readercache, "MAX_BYTES", 10_000)
    body = b"x" * 1_000

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        response = HttpResponse(
            body, headers={"Cache-Control": "public, max-age=60", "Vary": "Cookie"}
        )
        start_response("200 OK", list(response.items()))
        return response

    cache = ReaderCache(app, seconds=30, clock=clock)
    for n in range(200):
        call(cache, f"/page?{n % 7}", headers={"Cookie": f"c={n}"})
        assert cache._bytes <= 10_000
        assert cache._bytes == sum(
            len(s.body) for _names, variants in cache._urls.values() for s in variants.values()
        )
    # Still a cache: the last answer is kept and served again.
    assert call(cache, "/page?3", headers={"Cookie": "c=199"}).header("Age") == "0"


def test_an_application_that_answers_late_or_with_an_error_is_passed_on(clock: Clock) -> None:
    def late(environ: dict[str, Any], start_response: Any) -> Iterator[bytes]:
        start_response("200 OK", [("Cache-Control", "public, max-age=60")])
        yield b"late"

    def failing(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            start_response("500 Internal Server Error", [], sys.exc_info())
        return [b"error"]

    answer = call(ReaderCache(late, seconds=5, clock=clock), "/late")
    assert answer.status == "200 OK" and answer.body == b"late"
    answer = call(ReaderCache(failing, seconds=5, clock=clock), "/fail")
    assert answer.status.startswith("500") and answer.body == b"error"
