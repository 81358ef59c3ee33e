"""The API tokens page in chromium on a 360-px phone: make a token, copy it, use it,
revoke it; accessible (axe-core) and never wider than the screen."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization
from tests.browser.conftest import assert_accessible, assert_fits
from tests.browser.test_people import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_make_use_and_revoke_a_token_on_a_phone(
    phone: Any, site: Any, action_now: Organization, owner: User
) -> None:
    log_in(phone, site, owner)
    phone.goto(f"{site.url}/manage/action-now/api/")
    assert_accessible(phone)
    assert_fits(phone)

    phone.fill("#id_name", "Parsons sync")
    phone.get_by_role("button", name="Make a token").click()
    phone.wait_for_selector("#new-token")
    assert_accessible(phone)
    assert_fits(phone)
    secret = phone.input_value("#new-token")
    api_url = phone.input_value("#api-url")

    answer = requests.get(f"{api_url}/people", headers={"OSDI-API-Token": secret}, timeout=10)
    assert answer.status_code == 200

    phone.get_by_role("button", name="Revoke Parsons sync").click()
    phone.wait_for_selector("text=no longer works")
    assert_fits(phone)
    again = requests.get(f"{api_url}/people", headers={"OSDI-API-Token": secret}, timeout=10)
    assert again.status_code == 401
