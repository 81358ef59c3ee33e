"""Tokens on the API: header (any case) or query parameter, revocation, the rate limit,
and routes with or without a trailing slash."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from groundswell.api import actions
from groundswell.api.models import ApiToken
from groundswell.organizations.models import Organization
from groundswell.people.models import AuditEvent, Supporter
from tests.api.conftest import ApiClient, add_supporter, token_for

pytestmark = pytest.mark.django_db


def test_the_token_works_in_a_header_of_any_case_or_the_query(
    client: Client, action_now: Organization
) -> None:
    token = token_for(action_now)
    for header in ("OSDI-API-Token", "osdi-api-token", "OSDI-API-TOKEN"):
        assert client.get("/api/v2/people", headers={header: token}).status_code == 200
    assert client.get(f"/api/v2/people?osdi-api-token={token}").status_code == 200


@pytest.mark.parametrize("token", ["", "gs_not-a-token", "x" * 500])
def test_no_valid_token_is_a_json_401(client: Client, action_now: Organization, token: str) -> None:
    response = client.get("/api/v2/people", headers={"OSDI-API-Token": token})

    assert response.status_code == 401
    assert response.json() == {"error": "API Key invalid or not present"}


def test_a_revoked_token_stops_working_at_once(client: Client, action_now: Organization) -> None:
    token, secret = actions.create_token(action_now, name="sync")
    assert client.get("/api/v2", headers={"OSDI-API-Token": secret}).status_code == 200

    actions.revoke_token(token)

    assert client.get("/api/v2", headers={"OSDI-API-Token": secret}).status_code == 401


def test_only_a_hash_of_the_token_is_stored(action_now: Organization) -> None:
    token, secret = actions.create_token(action_now, name="sync")

    stored = ApiToken.objects.filter(pk=token.pk).values()[0]
    assert secret not in str(stored)
    assert token.token_hash == actions.hash_token(secret)


def test_over_the_rate_limit_is_429_with_retry_after(api: ApiClient, settings: Any) -> None:
    settings.API_RATE = (3, 60)
    assert [api.get("tags").status_code for _ in range(3)] == [200, 200, 200]

    refused = api.get("tags")

    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "error" in refused.json()


def test_each_token_has_its_own_limit(api: ApiClient, ocad_api: ApiClient, settings: Any) -> None:
    settings.API_RATE = (1, 60)
    assert api.get("tags").status_code == 200
    assert api.get("tags").status_code == 429
    assert ocad_api.get("tags").status_code == 200


@pytest.mark.parametrize("path", ["/api/v2", "/api/v2/", "/api/v2/people", "/api/v2/people/"])
def test_routes_answer_with_or_without_a_slash(api: ApiClient, path: str) -> None:
    assert api.get(path).status_code == 200


@pytest.mark.parametrize("path", ["/api/v2/people", "/api/v2/people/"])
def test_a_post_is_never_redirected(api: ApiClient, action_now: Organization, path: str) -> None:
    response = api.post(path, {"person": {"email_addresses": [{"address": "a@example.org"}]}})

    assert response.status_code == 200
    assert Supporter.objects.filter(organization=action_now).count() == 1


def test_an_unknown_route_or_method_is_a_json_error(api: ApiClient) -> None:
    assert api.get("/api/v2/donations").json()["error"]
    assert api.get("/api/v2/donations").status_code == 404
    response = api.delete("people")
    assert response.status_code == 405
    assert "GET" in response["Allow"]


def test_reading_people_is_in_the_audit_log(api: ApiClient, action_now: Organization) -> None:
    ana = add_supporter(action_now, "Ana")
    api.get("people")
    api.get(f"people/{ana.pk}")

    events = AuditEvent.objects.filter(organization=action_now, action=AuditEvent.Action.API)
    assert [e.detail.split(" (")[0] for e in events] == ["GET person", "GET people page 1"]
    assert events[0].person == ana.person
    assert all("@" not in e.detail for e in events)
