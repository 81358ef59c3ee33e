"""/manage/<org>/api/reference/: the API reference as a page, from the OpenAPI
description the API serves, linked from the tokens page (issue 15)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from groundswell.accounts.models import User
from groundswell.api import openapi
from tests.conftest import login

pytestmark = pytest.mark.django_db

URL = reverse("api_manage:reference", args=["action-now"])


def test_every_operation_is_on_the_page_with_its_body_fields(client: Client, owner: User) -> None:
    login(client, owner)
    assert URL in client.get(reverse("api_manage:tokens", args=["action-now"])).text
    page = client.get(URL).text
    for path, methods in openapi.OPERATIONS.items():
        for method in methods:
            assert f">{method.upper()} {path}</code>" in page
    assert "person.email_addresses[].address" in page
    assert "one of: subscribed, unsubscribed" in page
    assert "<script" not in page.split("<main", 1)[1]


def test_an_outsider_cannot_read_it(client: Client, outsider: User) -> None:
    login(client, outsider)
    assert client.get(URL).status_code in (403, 404)
