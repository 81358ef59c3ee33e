"""A query parameter given twice is refused with a 400 that names it: Django would take
the last value, so `?filter=a&filter=b` would quietly mean b."""

from __future__ import annotations

import pytest

from groundswell.organizations.models import Organization
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query",
    [
        "page=1&page=2",
        "filter=given_name eq 'Ana'&filter=given_name eq 'Ben'",
        "per_page=5&page=1&per_page=500",
    ],
)
def test_a_repeated_parameter_is_a_400_that_names_it(api: ApiClient, query: str) -> None:
    response = api.get(f"people?{query}")
    assert response.status_code == 400
    error = response.json()["error"]
    name = query.split("=")[0] if not query.startswith("per_page=5&page") else "per_page"
    assert name in error and "more than once" in error


def test_a_repeated_token_is_refused_too(api: ApiClient, action_now: Organization) -> None:
    response = api.client.get(
        "/api/v2/people", {"osdi-api-token": [api.token, "another"]}, headers={}
    )
    assert response.status_code == 400


def test_each_parameter_once_is_answered(api: ApiClient) -> None:
    assert api.get("people?page=1&per_page=5").status_code == 200
