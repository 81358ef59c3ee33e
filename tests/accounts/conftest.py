"""Two-factor helpers for the account tests: a real secret, codes computed with pyotp
as an authenticator app would, and logging in through the real two-step form."""

from __future__ import annotations

import time

import pyotp
import pytest
from django.test import Client
from django.urls import reverse

from groundswell.accounts import two_factor
from groundswell.accounts.models import TwoFactor, User
from tests.conftest import PASSWORD

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # what Maria's phone app holds


def enable_two_factor(user: User, secret: str = SECRET) -> list[str]:
    """Switch two-factor on as the set-up page does; returns the recovery codes."""
    return two_factor.enable(user, secret, pyotp.TOTP(secret).now())


def fresh_code(user: User, secret: str = SECRET) -> str:
    """A code the app would show that has not been spent yet: the step after the last
    accepted one, still inside the ±1 step window (no waiting for the clock)."""
    last = TwoFactor.objects.get(user=user).last_step
    current = int(time.time()) // two_factor.STEP_SECONDS
    return pyotp.TOTP(secret).generate_otp(max(last + 1, current - 1))


def log_in(
    client: Client,
    user: User,
    password: str = PASSWORD,
    ip: str = "127.0.0.1",
    code: str | None = None,
) -> Client:
    """The password step, then (for an account with two-factor on) the code step, with
    `code` or else the app's next unspent code (one login per 30-second step)."""
    login_url = reverse("accounts:login")
    response = client.post(
        login_url, {"username": user.email, "password": password}, REMOTE_ADDR=ip
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    if response.url == reverse("accounts:login_code"):
        response = client.post(response.url, {"code": code or fresh_code(user)}, REMOTE_ADDR=ip)
        assert response.status_code == 302, response.content.decode()[:2000]
    assert client.session["_auth_user_id"] == str(user.pk)
    return client


@pytest.fixture
def recovery_codes(owner: User) -> list[str]:
    """Maria has two-factor on; these are her recovery codes."""
    return enable_two_factor(owner)
