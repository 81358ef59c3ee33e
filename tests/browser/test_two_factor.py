"""In chromium on a phone: an owner switches on two-factor authentication (reading the
key off the page, as typing it into an app would), logs out, and logs back in with the
password and a code. Every page on the way is accessible and fits 360 px."""

from __future__ import annotations

import re
import time
from typing import Any

import pyotp
import pytest

from groundswell.accounts.models import TwoFactor, User
from tests.browser.conftest import assert_accessible, assert_fits, new_page
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

LOGIN_BUTTON = {"en-US": "Log in", "es-US": "Iniciar sesión"}


def check(page: Any) -> None:
    assert_accessible(page)
    assert_fits(page)


def unspent_code(secret: str, setup_step: int) -> str:
    """The code an app shows now, or the next one if the set-up already spent this one
    (codes work once; one step ahead is inside the window)."""
    step = max(int(time.time()) // 30, setup_step + 1)
    return pyotp.TOTP(secret).generate_otp(step)


@pytest.mark.parametrize("locale", ["en-US", "es-US"])
def test_an_owner_turns_on_two_factor_and_logs_in_with_a_code(
    browser: Any, site: Any, owner: User, locale: str
) -> None:
    phone = new_page(browser, locale=locale, width=360)
    try:
        phone.goto(f"{site.url}/accounts/login/")
        phone.fill("#id_username", owner.email)
        phone.fill("#id_password", PASSWORD)
        phone.get_by_role("button", name=LOGIN_BUTTON[locale]).click()
        phone.wait_for_url(re.compile("/manage/$"))

        phone.goto(f"{site.url}/accounts/two-factor/")
        check(phone)
        phone.click("main a[href$='/accounts/two-factor/setup/']")
        phone.wait_for_url(re.compile("/two-factor/setup/"))
        assert phone.locator("main svg.qr").count() == 1
        check(phone)

        secret = phone.inner_text("#two-factor-secret").replace(" ", "")
        setup_step = int(time.time()) // 30
        phone.fill("#id_code", pyotp.TOTP(secret).generate_otp(setup_step))
        phone.fill("#id_password", PASSWORD)
        phone.click("main form button[type=submit]")
        phone.locator("ol.recovery-codes li").first.wait_for()
        assert phone.locator("ol.recovery-codes li").count() == 10
        check(phone)
        assert TwoFactor.objects.filter(user=owner).exists()

        phone.click("header form[action$='/accounts/logout/'] button")
        phone.wait_for_load_state()
        phone.goto(f"{site.url}/accounts/login/")
        phone.fill("#id_username", owner.email)
        phone.fill("#id_password", PASSWORD)
        phone.get_by_role("button", name=LOGIN_BUTTON[locale]).click()
        phone.wait_for_url(re.compile("/accounts/login/code/"))
        check(phone)

        phone.fill("#id_code", pyotp.TOTP(secret).at(0))  # a code from 1970
        phone.click("main form button[type=submit]")
        phone.locator("#id_code_error").wait_for()
        check(phone)  # the error state too

        phone.fill("#id_code", unspent_code(secret, setup_step))
        phone.click("main form button[type=submit]")
        phone.wait_for_url(re.compile("/manage/$"))
        phone.goto(f"{site.url}/manage/{owner.memberships.get().organization.slug}/settings/")
        assert phone.locator("#id_require_two_factor").count() == 1
        check(phone)
    finally:
        phone.context.close()
