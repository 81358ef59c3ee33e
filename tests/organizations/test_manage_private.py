"""Organizer pages hold supporters' data and staff addresses: no browser or proxy keeps a
copy of any of them. Every route under /manage/ answers `Cache-Control: no-store`,
whatever its view's decorators (settings, members and the coalition page had only
login_required and went without), and whatever the answer (a page, a redirect, a 404)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from groundswell.accounts.models import User
from groundswell.petitions.models import Petition
from tests.conftest import login

pytestmark = pytest.mark.django_db

PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")
VALUES = {"int": "1", "slug": "defend-chicago", "str": "defend-chicago", "path": "x"}


def routes(patterns: list[Any] | None = None, prefix: str = "") -> Iterator[str]:
    """Every route of the URLconf, as its pattern reads ("manage/<slug:org>/...")."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from routes(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def example(route: str) -> str:
    def value(match: re.Match[str]) -> str:
        if match["name"] == "org":
            return "action-now"
        converter = match["converter"] or "str"
        return str(uuid.uuid4()) if converter == "uuid" else VALUES[converter]

    return "/" + PARAMETER.sub(value, route)


MANAGE = sorted({example(r) for r in routes() if r.startswith("manage/")})


def test_the_walk_finds_the_organizer_pages() -> None:
    assert "/manage/" in MANAGE
    for page in ("", "settings/", "members/", "coalition/", "petitions/", "people/"):
        assert f"/manage/action-now/{page}" in MANAGE


@pytest.mark.parametrize("url", MANAGE)
def test_no_organizer_page_is_kept_by_a_browser_or_proxy(
    client: Client, owner: User, petition: Petition, url: str
) -> None:
    login(client, owner)
    response = client.get(url)
    assert "no-store" in response.get("Cache-Control", ""), (url, response.status_code)
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("url", ["/manage/", "/manage/action-now/settings/"])
def test_nor_the_login_redirect_of_a_visitor(client: Client, url: str, action_now: Any) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]


def test_public_pages_stay_cacheable(client: Client, petition: Petition) -> None:
    response = client.get(f"/petitions/{petition.slug}/")
    assert "no-store" not in response.get("Cache-Control", "")
