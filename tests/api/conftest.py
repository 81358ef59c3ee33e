"""API test setup: an organization's token, a JSON client, and supporters made through
the same actions the People area and the sign form use."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from groundswell.api import actions as api_actions
from groundswell.organizations.models import Organization
from groundswell.people import actions
from groundswell.people.models import Supporter

BASE = "/api/v2"


@dataclass
class ApiClient:
    """Django's test client speaking JSON with a token, as an OSDI client does."""

    client: Client
    token: str

    def _call(self, method: str, path: str, body: Any = None, **extra: Any) -> Any:
        url = path if path.startswith("http") or path.startswith("/api") else f"{BASE}/{path}"
        data = (
            body if isinstance(body, str | bytes) else json.dumps(body) if body is not None else ""
        )
        return self.client.generic(
            method,
            url,
            data,
            content_type="application/json",
            headers={"OSDI-API-Token": self.token},
            **extra,
        )

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        from urllib.parse import urlencode

        return self._call("GET", f"{path}?{urlencode(params)}" if params else path)

    def post(self, path: str, body: Any = None) -> Any:
        return self._call("POST", path, body)

    def put(self, path: str, body: Any = None) -> Any:
        return self._call("PUT", path, body)

    def delete(self, path: str) -> Any:
        return self._call("DELETE", path)


def token_for(organization: Organization) -> str:
    return api_actions.create_token(organization, name="tests")[1]


@pytest.fixture
def api(client: Client, action_now: Organization) -> ApiClient:
    """Action Now's token."""
    return ApiClient(client, token_for(action_now))


@pytest.fixture
def ocad_api(ocad: Organization) -> ApiClient:
    return ApiClient(Client(), token_for(ocad))


def add_supporter(
    organization: Organization,
    first_name: str,
    *,
    email: str = "",
    phone: str = "",
    consent: bool = False,
    **fields: str,
) -> Supporter:
    """Someone the organization's organizer added by hand (People area, Add)."""
    email = email or f"{first_name.lower()}@example.org"
    given = {"first_name": first_name, "email": email, "phone": phone, **fields}
    return actions.add_person(
        organization, fields={k: v for k, v in given.items() if v}, consent_to_email=consent
    ).supporter


def person_id(body: dict[str, Any]) -> int:
    return int(next(i for i in body["identifiers"] if i.startswith("groundswell:")).split(":")[1])
