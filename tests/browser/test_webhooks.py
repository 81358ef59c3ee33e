"""The webhooks pages in chromium on a 360-px phone: add an endpoint from the API
tokens page, read its secret, see a delivery in the log and redeliver it; accessible
(axe-core) and never wider than the screen."""

from __future__ import annotations

from typing import Any

import pytest

from groundswell.accounts.models import User
from groundswell.organizations.models import Organization
from groundswell.petitions.models import Petition
from groundswell.webhooks.models import Endpoint
from tests.browser.conftest import assert_accessible, assert_fits
from tests.browser.test_people import log_in
from tests.webhooks.conftest import receiving, sign_and_verify

pytestmark = pytest.mark.django_db(transaction=True)


def test_add_an_endpoint_and_read_its_log_on_a_phone(
    phone: Any,
    site: Any,
    action_now: Organization,
    owner: User,
    petition: Petition,
    drain: Any,
) -> None:
    with receiving() as receiver:
        log_in(phone, site, owner)
        phone.goto(f"{site.url}/manage/action-now/api/")
        phone.get_by_role("link", name="Webhooks", exact=True).click()
        phone.wait_for_selector("#id_url")
        assert_accessible(phone)
        assert_fits(phone)

        phone.fill("#id_url", receiver.url("/a/rather/long/path/for/our/crm/integration/hook"))
        phone.get_by_label("A signature is confirmed").check()
        phone.get_by_role("button", name="Add the endpoint").click()
        phone.wait_for_selector("text=The endpoint is ready")
        phone.get_by_text("Show the secret").click()
        assert phone.input_value("#endpoint-secret") == Endpoint.objects.get().secret
        assert_accessible(phone)
        assert_fits(phone)

        sign_and_verify(petition)
        drain(periodic=False)
        phone.reload()
        phone.wait_for_selector("text=Delivered")
        assert len(receiver.received) == 1
        assert_accessible(phone)
        assert_fits(phone)

        phone.get_by_role("button", name="Redeliver delivery").first.click()
        phone.wait_for_selector("text=on its way again")
        drain(periodic=False)
        assert len(receiver.received) == 2
