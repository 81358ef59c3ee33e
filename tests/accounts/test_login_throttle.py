"""The login throttle: LOGIN_FAILURE_LIMIT failures per window, per account and per IP
address, checked before the password; the same for 2FA codes and reset requests."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pyotp
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from groundswell.accounts import throttle
from groundswell.accounts.models import LoginAttempt, User
from groundswell.core import clock, worker
from tests.accounts.conftest import SECRET, fresh_code
from tests.conftest import PASSWORD
from tests.smtp import Mailbox

LOGIN = reverse("accounts:login")
CODE = reverse("accounts:login_code")
RESET = reverse("accounts:password_reset")
REFUSAL = "Too many failed attempts to log in. Wait 15 minutes and try again"


@pytest.fixture(autouse=True)
def limit(settings: Any) -> int:
    settings.LOGIN_FAILURE_LIMIT = 5
    settings.LOGIN_FAILURE_WINDOW = 15 * 60
    return 5


def attempt(client: Client, email: str, password: str, ip: str) -> str:
    return client.post(
        LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip
    ).content.decode()


def test_an_account_is_paused_after_failures_from_any_addresses(
    client: Client, owner: User, limit: int
) -> None:
    for n in range(limit):
        assert REFUSAL not in attempt(client, owner.email, "guess", f"10.0.0.{n}")
    page = attempt(client, owner.email, PASSWORD, "10.0.1.1")
    assert REFUSAL in page
    assert "_auth_user_id" not in client.session


def test_a_paused_account_does_not_tell_a_right_password_from_a_wrong_one(
    client: Client, owner: User, limit: int
) -> None:
    for n in range(limit):
        attempt(client, owner.email, "guess", f"10.0.0.{n}")
    right = attempt(Client(), owner.email, PASSWORD, "10.0.2.1")
    wrong = attempt(Client(), owner.email, "still guessing", "10.0.2.2")
    assert REFUSAL in right and REFUSAL in wrong
    assert "do not match an account" not in right + wrong


def test_an_address_is_paused_after_failures_on_any_accounts(
    client: Client, owner: User, organizer: User, limit: int
) -> None:
    for n in range(limit):
        attempt(client, f"nobody{n}@example.org", "guess", "203.0.113.9")
    assert REFUSAL in attempt(client, organizer.email, PASSWORD, "203.0.113.9")
    assert "_auth_user_id" not in client.session
    # The same account from elsewhere is not paused: it did nothing wrong.
    elsewhere = Client()
    elsewhere.post(
        LOGIN, {"username": organizer.email, "password": PASSWORD}, REMOTE_ADDR="198.51.100.7"
    )
    assert elsewhere.session["_auth_user_id"] == str(organizer.pk)


def test_failures_below_the_limit_then_success_start_the_count_again(
    client: Client, owner: User, limit: int
) -> None:
    for n in range(limit - 1):
        attempt(client, owner.email, "guess", f"10.0.0.{n}")
    Client().post(LOGIN, {"username": owner.email, "password": PASSWORD}, REMOTE_ADDR="10.9.9.9")
    assert not LoginAttempt.objects.filter(account=throttle.account_key(owner.email)).exists()
    for n in range(limit - 1):
        assert REFUSAL not in attempt(client, owner.email, "guess", f"10.0.3.{n}")


def test_the_pause_ends_when_the_window_has_passed(client: Client, owner: User, limit: int) -> None:
    for n in range(limit):
        attempt(client, owner.email, "guess", f"10.0.0.{n}")
    LoginAttempt.objects.update(created_at=timezone.now() - timedelta(minutes=16))
    client.post(LOGIN, {"username": owner.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_wrong_codes_count_and_pause_the_code_step(
    client: Client, owner: User, recovery_codes: list[str], limit: int
) -> None:
    client.post(LOGIN, {"username": owner.email, "password": PASSWORD})
    wrong = pyotp.TOTP(SECRET).at(0)
    for n in range(limit):
        page = client.post(CODE, {"code": wrong}, REMOTE_ADDR=f"10.0.0.{n}").content.decode()
        assert "That code does not work." in page
    page = client.post(CODE, {"code": fresh_code(owner)}).content.decode()
    assert REFUSAL in page
    assert "_auth_user_id" not in client.session
    # The code's guesses count against the account's password step as well.
    assert REFUSAL in attempt(Client(), owner.email, PASSWORD, "10.0.5.5")


def test_the_admin_login_is_throttled_too(client: Client, db: None, limit: int) -> None:
    operator = User.objects.create_superuser("ops@groundswell.example", PASSWORD)
    for _ in range(limit):
        client.post(reverse("admin:login"), {"username": operator.email, "password": "guess"})
    page = client.post(
        reverse("admin:login"), {"username": operator.email, "password": PASSWORD}
    ).content.decode()
    assert REFUSAL in page
    assert "_auth_user_id" not in client.session


def test_password_reset_requests_are_limited_per_address(
    client: Client, owner: User, mailbox: Mailbox, limit: int
) -> None:
    for n in range(limit):
        response = client.post(RESET, {"email": f"someone{n}@example.org"})
        assert response.status_code == 302
    response = client.post(RESET, {"email": owner.email})
    assert response.status_code == 200
    assert "Too many password reset requests. Wait 15 minutes" in response.content.decode()
    worker.drain()
    assert mailbox.messages == []  # the refused request for a real account sent nothing
    response = client.post(RESET, {"email": owner.email}, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 302


def test_the_worker_prunes_attempts_older_than_the_window(owner: User) -> None:
    old = timezone.now() - timedelta(minutes=20)
    LoginAttempt.objects.create(kind="login", account="x", ip="10.0.0.1", created_at=old)
    recent = LoginAttempt.objects.create(
        kind="login", account="x", ip="10.0.0.1", created_at=timezone.now()
    )
    assert "accounts.prune_login_attempts" in [job.name for job in clock.jobs()]
    clock.run_due(force=True, close_connections=False)
    assert list(LoginAttempt.objects.values_list("pk", flat=True)) == [recent.pk]
