"""/accounts/two-factor/: setting up an authenticator app, recovery codes, switching off."""

from __future__ import annotations

import re
import time
from typing import Any

import pyotp
import pytest
from django.test import Client
from django.urls import reverse

from groundswell.accounts import sealing, sessions, two_factor
from groundswell.accounts.models import RecoveryCode, TwoFactor, User
from groundswell.organizations.models import Organization
from tests.accounts.conftest import SECRET, enable_two_factor
from tests.conftest import PASSWORD, login

STATUS = reverse("accounts:two_factor")
SETUP = reverse("accounts:two_factor_setup")
RECOVERY = reverse("accounts:two_factor_recovery")
DISABLE = reverse("accounts:two_factor_disable")


def shown_secret(page: str) -> str:
    match = re.search(r'<code id="two-factor-secret"[^>]*>([^<]+)</code>', page)
    assert match, "the set-up page shows no secret to type"
    return match.group(1).replace(" ", "")


def shown_codes(page: str) -> list[str]:
    return re.findall(r"<li><code>([a-z0-9-]+)</code></li>", page)


def test_setup_shows_a_qr_code_and_the_secret_and_keeps_it_while_scanning(
    client: Client, owner: User
) -> None:
    login(client, owner)
    page = client.get(SETUP).content.decode()
    secret = shown_secret(page)
    assert len(secret) == 32
    assert '<svg width="' in page and 'class="qr"' in page  # inline, no image request
    assert "<img" not in page.split("<main", 1)[1]
    assert shown_secret(client.get(SETUP).content.decode()) == secret
    assert secret not in str(client.session[sessions.SETUP_SECRET])  # sealed in the session


def test_a_code_from_the_app_and_the_password_switch_it_on(client: Client, owner: User) -> None:
    login(client, owner)
    secret = shown_secret(client.get(SETUP).content.decode())
    response = client.post(SETUP, {"code": pyotp.TOTP(secret).now(), "password": PASSWORD})
    assert response.status_code == 200
    codes = shown_codes(response.content.decode())
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "shown only this once" in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")

    device = TwoFactor.objects.get(user=owner)
    assert secret not in device.sealed_secret
    assert sealing.unseal(device.sealed_secret) == secret
    stored = list(RecoveryCode.objects.filter(user=owner).values_list("digest", flat=True))
    assert len(stored) == 10
    assert not any(code.replace("-", "") in digest for code in codes for digest in stored)

    # The secret is never displayed again: set-up now leads to the status page.
    assert client.get(SETUP).url == STATUS
    status = client.get(STATUS).content.decode()
    assert secret not in status and "You have 10 unused recovery codes." in status
    assert client.session[sessions.VERIFIED] is True


def test_a_wrong_code_changes_nothing(client: Client, owner: User) -> None:
    login(client, owner)
    secret = shown_secret(client.get(SETUP).content.decode())
    wrong = pyotp.TOTP(secret).at(time.time() - 300)
    page = client.post(SETUP, {"code": wrong, "password": PASSWORD}).content.decode()
    assert "That code does not match." in page
    assert not TwoFactor.objects.filter(user=owner).exists()
    assert shown_secret(page) == secret  # the same secret, to try again


@pytest.mark.parametrize("code", ["12345", "abcdef", ""])
def test_a_malformed_code_is_explained(client: Client, owner: User, code: str) -> None:
    login(client, owner)
    client.get(SETUP)
    response = client.post(SETUP, {"code": code, "password": PASSWORD})
    assert 'id="id_code_error"' in response.content.decode()
    assert not TwoFactor.objects.filter(user=owner).exists()


def test_the_password_is_needed_to_switch_it_on(client: Client, owner: User) -> None:
    login(client, owner)
    secret = shown_secret(client.get(SETUP).content.decode())
    page = client.post(SETUP, {"code": pyotp.TOTP(secret).now(), "password": "nope"})
    assert "That is not your password. Nothing was changed." in page.content.decode()
    assert not TwoFactor.objects.filter(user=owner).exists()


def test_codes_from_one_step_either_side_are_accepted(owner: User) -> None:
    enable_two_factor(owner)
    totp = pyotp.TOTP(SECRET)
    now = time.time() + 600  # later than the set-up code, so nothing is spent yet
    assert two_factor.verify(owner, totp.at(now - 30), now=now)
    assert two_factor.verify(owner, totp.at(now + 30), now=now)


def test_codes_two_steps_away_are_refused(owner: User) -> None:
    enable_two_factor(owner)
    totp = pyotp.TOTP(SECRET)
    now = time.time() + 600
    assert not two_factor.verify(owner, totp.at(now - 60), now=now)
    assert not two_factor.verify(owner, totp.at(now + 60), now=now)


def test_a_code_works_once(owner: User) -> None:
    enable_two_factor(owner)
    totp = pyotp.TOTP(SECRET)
    now = time.time() + 600
    assert two_factor.verify(owner, totp.at(now), now=now)
    assert not two_factor.verify(owner, totp.at(now), now=now)
    # Nor does an older code still inside the window, once a newer one was used.
    assert not two_factor.verify(owner, totp.at(now - 30), now=now)


def test_the_setup_code_cannot_log_in_afterwards(owner: User) -> None:
    now = time.time()
    code = pyotp.TOTP(SECRET).at(now)
    two_factor.enable(owner, SECRET, code, now=now)
    assert not two_factor.verify(owner, code, now=now)


def test_a_recovery_code_works_once_in_any_case_and_spacing(
    owner: User, recovery_codes: list[str]
) -> None:
    code = recovery_codes[3]
    assert two_factor.verify(owner, f"  {code.upper().replace('-', ' ')} ")
    assert not two_factor.verify(owner, code)
    assert two_factor.recovery_codes_left(owner) == 9
    assert not two_factor.verify(owner, "abcd-efgh-jkmn-pqrs")


def test_new_recovery_codes_replace_the_old(
    client: Client, owner: User, recovery_codes: list[str]
) -> None:
    login(client, owner)
    session = client.session
    session[sessions.VERIFIED] = True  # this session passed the code step
    session.save()
    response = client.post(RECOVERY, {"recovery-password": PASSWORD})
    new_codes = shown_codes(response.content.decode())
    assert len(new_codes) == 10 and not set(new_codes) & set(recovery_codes)
    assert not two_factor.verify(owner, recovery_codes[0])
    assert two_factor.verify(owner, new_codes[0])


def test_new_recovery_codes_need_the_password(
    client: Client, owner: User, recovery_codes: list[str]
) -> None:
    login(client, owner)
    session = client.session
    session[sessions.VERIFIED] = True
    session.save()
    response = client.post(RECOVERY, {"recovery-password": "wrong"})
    assert "That is not your password. Nothing was changed." in response.content.decode()
    assert two_factor.verify(owner, recovery_codes[0])


def test_switching_off_needs_the_password(
    client: Client, owner: User, recovery_codes: list[str]
) -> None:
    login(client, owner)
    session = client.session
    session[sessions.VERIFIED] = True
    session.save()
    response = client.post(DISABLE, {"disable-password": "wrong"})
    assert "That is not your password. Nothing was changed." in response.content.decode()
    assert TwoFactor.objects.filter(user=owner).exists()

    response = client.post(DISABLE, {"disable-password": PASSWORD})
    assert response.url == STATUS
    assert not TwoFactor.objects.filter(user=owner).exists()
    assert not RecoveryCode.objects.filter(user=owner).exists()
    assert "Two-factor authentication is off." in client.get(STATUS).content.decode()


def test_switching_off_is_refused_while_an_organization_requires_it(
    client: Client, owner: User, action_now: Organization, recovery_codes: list[str]
) -> None:
    action_now.require_two_factor = True
    action_now.save()
    login(client, owner)
    session = client.session
    session[sessions.VERIFIED] = True
    session.save()
    page = client.get(STATUS).content.decode()
    assert "so it stays on" in page and "Action Now" in page
    response = client.post(DISABLE, {"disable-password": PASSWORD}, follow=True)
    assert "Action Now requires it of its staff." in response.content.decode()
    assert TwoFactor.objects.filter(user=owner).exists()


def test_the_pages_need_a_login(client: Client, db: None) -> None:
    for url in (STATUS, SETUP):
        assert client.get(url).url.startswith(reverse("accounts:login"))


def test_a_sealed_secret_refuses_tampering_and_opens_with_an_old_key(settings: Any) -> None:
    sealed = sealing.seal(SECRET)
    assert sealing.unseal(sealed) == SECRET
    flipped = sealed[:-5] + ("A" if sealed[-5] != "A" else "B") + sealed[-4:]
    with pytest.raises(sealing.Unsealable):
        sealing.unseal(flipped)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-that-is-long-enough-for-django-1234"
    assert sealing.unseal(sealed) == SECRET
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(sealing.Unsealable):
        sealing.unseal(sealed)


def test_a_changed_secret_key_leaves_the_recovery_codes_working(
    owner: User, recovery_codes: list[str], settings: Any
) -> None:
    settings.SECRET_KEY = "a-new-secret-key-that-is-long-enough-for-django-1234"
    now = time.time() + 600
    assert not two_factor.verify(owner, pyotp.TOTP(SECRET).at(now), now=now)
    assert two_factor.verify(owner, recovery_codes[0])
