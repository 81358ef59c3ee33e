"""The login throttle (accounts.throttle): passwords are paused per account and IP
address (LOGIN_FAILURE_LIMIT), per IP address on any accounts (4x) and per account from
all addresses (10x, except in a browser the account logged in from); codes per account;
reset requests per address asked for and per IP. Always checked before the password."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pyotp
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from groundswell.accounts import throttle
from groundswell.accounts.models import AttemptKind, LoginAttempt, User
from groundswell.core import clock, worker
from tests.accounts.conftest import SECRET, fresh_code, log_in
from tests.accounts.test_password_reset import NEW_PASSWORD, reset_link
from tests.conftest import PASSWORD
from tests.smtp import Mailbox

LOGIN = reverse("accounts:login")
CODE = reverse("accounts:login_code")
RESET = reverse("accounts:password_reset")
REFUSAL = "Too many failed attempts to log in. Wait 15 minutes and try again"
ATTACKER = "203.0.113.9"
OWNER_IP = "198.51.100.7"


@pytest.fixture(autouse=True)
def limit(settings: Any) -> int:
    settings.LOGIN_FAILURE_LIMIT = 5
    settings.LOGIN_FAILURE_WINDOW = 15 * 60
    return 5


def attempt(client: Client, email: str, password: str, ip: str) -> str:
    return client.post(
        LOGIN, {"username": email, "password": password}, REMOTE_ADDR=ip
    ).content.decode()


def logs_in(client: Client, user: User, ip: str, password: str = PASSWORD) -> bool:
    client.post(LOGIN, {"username": user.email, "password": password}, REMOTE_ADDR=ip)
    return client.session.get("_auth_user_id") == str(user.pk)


def failures(user: User) -> int:
    return LoginAttempt.objects.filter(account=throttle.account_key(user.email)).count()


def test_an_address_is_paused_on_an_account_after_failures(
    client: Client, owner: User, limit: int
) -> None:
    for _ in range(limit):
        page = attempt(client, owner.email, "guess", ATTACKER)
        assert REFUSAL not in page and "do not match an account" in page
    assert REFUSAL in attempt(client, owner.email, PASSWORD, ATTACKER)
    assert "_auth_user_id" not in client.session


def test_the_owner_logs_in_from_elsewhere_while_the_guesser_is_refused(
    client: Client, owner: User, limit: int
) -> None:
    for _ in range(limit):
        attempt(client, owner.email, "guess", ATTACKER)
    assert REFUSAL in attempt(client, owner.email, "guess", ATTACKER)
    assert logs_in(Client(), owner, OWNER_IP)  # no failures of its own: let through
    # The owner's login does not give the guesser a fresh start.
    assert REFUSAL in attempt(Client(), owner.email, PASSWORD, ATTACKER)
    # The next window the guesser tries again, and still the owner gets in.
    LoginAttempt.objects.update(created_at=timezone.now() - timedelta(minutes=16))
    for _ in range(limit + 1):
        attempt(client, owner.email, "guess", ATTACKER)
    assert REFUSAL in attempt(client, owner.email, PASSWORD, ATTACKER)
    assert logs_in(Client(), owner, OWNER_IP)


def test_a_paused_address_does_not_tell_a_right_password_from_a_wrong_one(
    client: Client, owner: User, limit: int
) -> None:
    for _ in range(limit):
        attempt(client, owner.email, "guess", ATTACKER)
    right = attempt(Client(), owner.email, PASSWORD, ATTACKER)
    wrong = attempt(Client(), owner.email, "still guessing", ATTACKER)
    assert REFUSAL in right and REFUSAL in wrong
    assert "do not match an account" not in right + wrong
    assert failures(owner) == limit  # refusals are not counted: they prolong nothing


def test_an_address_trying_many_accounts_is_paused(
    client: Client, owner: User, organizer: User, limit: int
) -> None:
    for n in range(4 * limit):
        page = attempt(client, f"nobody{n}@example.org", "guess", ATTACKER)
        assert REFUSAL not in page
    assert REFUSAL in attempt(client, organizer.email, PASSWORD, ATTACKER)
    assert REFUSAL in attempt(client, "nobody-else@example.org", "guess", ATTACKER)
    assert "_auth_user_id" not in client.session
    # The accounts from elsewhere are not paused: they did nothing wrong.
    assert logs_in(Client(), organizer, OWNER_IP)


def test_an_account_guessed_from_many_addresses_is_paused_except_where_it_logged_in(
    client: Client, owner: User, limit: int
) -> None:
    laptop = log_in(Client(), owner, ip=OWNER_IP)
    laptop.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in laptop.session
    assert throttle.DEVICE_COOKIE in laptop.cookies
    for n in range(10 * limit):
        attempt(client, owner.email, "guess", f"10.0.{n // limit}.{n % limit}")
    # A new browser, from an address that did nothing: paused, right or wrong password.
    right = attempt(Client(), owner.email, PASSWORD, "192.0.2.1")
    wrong = attempt(Client(), owner.email, "guess", "192.0.2.2")
    assert REFUSAL in right and REFUSAL in wrong
    # A forged cookie changes nothing.
    forged = Client()
    forged.cookies[throttle.DEVICE_COOKIE] = throttle.account_key(owner.email)
    assert REFUSAL in attempt(forged, owner.email, PASSWORD, "192.0.2.4")
    # The browser the owner logged in from before gets in, from wherever.
    assert logs_in(laptop, owner, "192.0.2.5")


def test_a_device_cookie_counts_only_for_its_own_account(
    client: Client, owner: User, organizer: User, limit: int
) -> None:
    browser = log_in(Client(), organizer, ip=OWNER_IP)
    browser.post(reverse("accounts:logout"))
    for n in range(10 * limit):
        attempt(client, owner.email, "guess", f"10.0.{n // limit}.{n % limit}")
    assert REFUSAL in attempt(browser, owner.email, PASSWORD, "192.0.2.1")


def test_a_password_reset_clears_the_accounts_failures(
    client: Client, owner: User, mailbox: Mailbox, settings: Any, limit: int
) -> None:
    for n in range(10 * limit):
        attempt(client, owner.email, "guess", f"10.0.{n // limit}.{n % limit}")
    assert REFUSAL in attempt(Client(), owner.email, PASSWORD, OWNER_IP)
    # The refusal points to a reset, which works meanwhile.
    owner_browser = Client()
    owner_browser.post(RESET, {"email": owner.email}, REMOTE_ADDR=OWNER_IP)
    response = owner_browser.get(reset_link(mailbox, settings.BASE_URL))
    response = owner_browser.post(
        response.url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    assert response.url == reverse("accounts:password_reset_complete")
    assert not LoginAttempt.objects.filter(
        account=throttle.account_key(owner.email), kind=AttemptKind.LOGIN
    ).exists()
    assert logs_in(owner_browser, owner, OWNER_IP, NEW_PASSWORD)


def test_a_login_clears_the_failures_of_its_own_address_only(
    client: Client, owner: User, limit: int
) -> None:
    for _ in range(limit - 1):
        attempt(client, owner.email, "typo", OWNER_IP)
        attempt(client, owner.email, "guess", ATTACKER)
    assert logs_in(Client(), owner, OWNER_IP)
    key = throttle.account_key(owner.email)
    assert not LoginAttempt.objects.filter(account=key, ip=OWNER_IP).exists()
    assert LoginAttempt.objects.filter(account=key, ip=ATTACKER).count() == limit - 1
    for _ in range(limit - 1):
        assert REFUSAL not in attempt(Client(), owner.email, "typo", OWNER_IP)
    attempt(client, owner.email, "guess", ATTACKER)
    assert REFUSAL in attempt(client, owner.email, "guess", ATTACKER)


def test_the_pause_ends_when_the_window_has_passed(client: Client, owner: User, limit: int) -> None:
    for _ in range(limit):
        attempt(client, owner.email, "guess", ATTACKER)
    assert REFUSAL in attempt(client, owner.email, PASSWORD, ATTACKER)
    LoginAttempt.objects.update(created_at=timezone.now() - timedelta(minutes=16))
    assert logs_in(client, owner, ATTACKER)


def test_wrong_codes_pause_the_code_step_of_the_account(
    client: Client, owner: User, recovery_codes: list[str], limit: int
) -> None:
    client.post(LOGIN, {"username": owner.email, "password": PASSWORD}, REMOTE_ADDR=ATTACKER)
    wrong = pyotp.TOTP(SECRET).at(0)
    for _ in range(limit):
        page = client.post(CODE, {"code": wrong}, REMOTE_ADDR=ATTACKER).content.decode()
        assert "That code does not work." in page
    page = client.post(CODE, {"code": fresh_code(owner)}, REMOTE_ADDR=ATTACKER).content.decode()
    assert REFUSAL in page
    assert "_auth_user_id" not in client.session
    # Per account from every address: the code step is reached only with the right
    # password, so whoever guesses codes knows it; the owner resets it.
    owner_browser = Client()
    owner_browser.post(LOGIN, {"username": owner.email, "password": PASSWORD}, REMOTE_ADDR=OWNER_IP)
    page = owner_browser.post(
        CODE, {"code": fresh_code(owner)}, REMOTE_ADDR=OWNER_IP
    ).content.decode()
    assert REFUSAL in page
    assert "_auth_user_id" not in owner_browser.session
    # The codes are not passwords: the password step is not paused by them.
    assert not LoginAttempt.objects.filter(kind=AttemptKind.LOGIN).exists()


def test_wrong_codes_from_many_addresses_still_pause_the_code_step(
    client: Client, owner: User, recovery_codes: list[str], limit: int
) -> None:
    client.post(LOGIN, {"username": owner.email, "password": PASSWORD})
    wrong = pyotp.TOTP(SECRET).at(0)
    for n in range(limit):
        client.post(CODE, {"code": wrong}, REMOTE_ADDR=f"10.0.0.{n}")
    page = client.post(CODE, {"code": fresh_code(owner)}, REMOTE_ADDR="10.0.9.9").content
    assert REFUSAL in page.decode()


def test_a_right_code_clears_the_failures_of_its_address(
    client: Client, owner: User, recovery_codes: list[str], limit: int
) -> None:
    client.post(LOGIN, {"username": owner.email, "password": PASSWORD}, REMOTE_ADDR=OWNER_IP)
    for _ in range(limit - 1):
        client.post(CODE, {"code": pyotp.TOTP(SECRET).at(0)}, REMOTE_ADDR=OWNER_IP)
    client.post(CODE, {"code": fresh_code(owner)}, REMOTE_ADDR=OWNER_IP)
    assert client.session["_auth_user_id"] == str(owner.pk)
    assert failures(owner) == 0


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
