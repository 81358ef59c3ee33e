"""Static files get the same Content-Security-Policy and X-Frame-Options as pages.
WhiteNoise answers them before the middleware that gives pages theirs runs, so they
get theirs from WHITENOISE_ADD_HEADERS_FUNCTION (core.middleware.static_file_headers)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from groundswell.core.middleware import CONTENT_SECURITY_POLICY

pytestmark = pytest.mark.django_db


@pytest.fixture
def static_client(settings: Any) -> Client:
    """A client whose WhiteNoise serves the apps' static files (read when it starts)."""
    settings.WHITENOISE_USE_FINDERS = True
    return Client()


@pytest.mark.parametrize("path", ["/static/core/site.css", "/static/petitions/challenge.js"])
def test_a_static_file_carries_the_pages_policy(static_client: Client, path: str) -> None:
    response = static_client.get(path)
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_page_carries_the_same_policy(client: Client) -> None:
    response = client.get("/petitions/")
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response["X-Frame-Options"] == "DENY"
