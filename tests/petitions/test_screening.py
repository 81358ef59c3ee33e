"""Screening a signature before it is stored: access rules, disposable addresses,
bot traps and per-IP rate limits (core.ratelimit: in Redis, or in the database)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import signing
from django.test import Client

from groundswell.core import ratelimit
from groundswell.petitions import actions, counts, integrity
from groundswell.petitions.integrity import Suspect
from groundswell.petitions.models import AccessRule, Petition, PetitionCount, Signature
from tests.conftest import redis_test_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rules() -> Iterator[None]:
    integrity.forget_rules()
    # The limits count in fixed windows, the shortest a minute: a test starts with a
    # few seconds of its minute left, so that its signatures share the windows.
    if (left := 60 - time.time() % 60) < 5:
        time.sleep(left)
    yield
    integrity.forget_rules()


def aged_token(seconds: float = 60) -> str:
    return integrity.SIGN_SCREEN.token(now=time.time() - seconds)


def sign(
    client: Client,
    petition: Petition,
    n: int = 0,
    *,
    ip: str = "203.0.113.7",
    token: str | None = None,
    **fields: str,
) -> Any:
    data = {
        "first_name": "Ana",
        "last_name": "Reyes",
        "email": f"ana{n}@example.org",
        "zip_code": "60608",
        "form_token": aged_token() if token is None else token,
        **fields,
    }
    return client.post(f"/petitions/{petition.slug}/sign", data, REMOTE_ADDR=ip)


def stored(n: int = 0) -> Signature:
    return Signature.objects.get(email=f"ana{n}@example.org")


def shown(petition: Petition) -> int:
    counts.fold()
    return PetitionCount.objects.get(petition=petition).total


def test_a_person_who_took_their_time_signs_normally(client: Client, petition: Petition) -> None:
    assert sign(client, petition).status_code == 303
    assert stored().suspect_reason == ""
    assert shown(petition) == 1


def test_the_honeypot_keeps_a_bot_out_of_the_count_and_sends_no_email(
    client: Client, petition: Petition
) -> None:
    from django_tasks_db.models import DBTaskResult

    response = sign(client, petition, website="http://spam.example")
    assert response.status_code == 303  # a bot learns nothing
    assert stored().suspect_reason == Suspect.HONEYPOT
    assert not DBTaskResult.objects.exists()
    assert shown(petition) == 0


def test_a_form_sent_faster_than_a_person_can_fill_it_is_suspect(
    client: Client, petition: Petition
) -> None:
    sign(client, petition, token=aged_token(0.5))
    assert stored().suspect_reason == Suspect.TOO_FAST
    assert shown(petition) == 0


@pytest.mark.parametrize("token", ["", "garbage", signing.dumps(1, salt="another salt")])
def test_a_missing_or_forged_form_token_is_suspect(
    client: Client, petition: Petition, token: str
) -> None:
    sign(client, petition, token=token)
    assert stored().suspect_reason == Suspect.NO_FORM_TOKEN


def test_the_page_serves_a_valid_form_token(client: Client, petition: Petition) -> None:
    import re

    html = client.get(f"/petitions/{petition.slug}/").content.decode()
    match = re.search(r'name="form_token" value="([^"]+)"', html)
    assert match is not None
    age = integrity.SIGN_SCREEN.token_age(match.group(1))
    assert age is not None and 0 <= age < 5


@pytest.mark.parametrize("rule", ["203.0.113.7", "203.0.113.0/24"])
def test_a_blocked_ip_or_range_is_refused_clearly_and_nothing_is_stored(
    client: Client, petition: Petition, rule: str
) -> None:
    AccessRule.objects.create(kind=AccessRule.Kind.IP, value=rule, action=AccessRule.Action.BLOCK)
    response = sign(client, petition)
    assert response.status_code == 403
    assert "Signatures from your network are not accepted here." in response.content.decode()
    assert not Signature.objects.exists()
    assert sign(client, petition, 1, ip="198.51.100.1").status_code == 303


def test_another_organizations_rules_do_not_apply(
    client: Client, petition: Petition, other_org: Any
) -> None:
    AccessRule.objects.create(
        organization=other_org,
        kind=AccessRule.Kind.IP,
        value="203.0.113.7",
        action=AccessRule.Action.BLOCK,
    )
    assert sign(client, petition).status_code == 303


def test_a_blocked_domain_and_its_subdomains_are_refused(
    client: Client, petition: Petition
) -> None:
    AccessRule.objects.create(
        organization=petition.owner,
        kind=AccessRule.Kind.DOMAIN,
        value="spam.example",
        action=AccessRule.Action.BLOCK,
    )
    response = sign(client, petition, email="x@mail.spam.example")
    assert response.status_code == 403
    assert "email domain are not accepted" in response.content.decode()
    assert not Signature.objects.exists()


def test_disposable_addresses_are_refused_in_the_readers_language(
    client: Client, petition: Petition
) -> None:
    response = sign(client, petition, email="someone@mailinator.com")
    assert response.status_code == 403
    assert "Please use a permanent email address" in response.content.decode()
    assert not Signature.objects.exists()


def test_an_allow_rule_overrides_the_disposable_list(client: Client, petition: Petition) -> None:
    AccessRule.objects.create(
        kind=AccessRule.Kind.DOMAIN, value="mailinator.com", action=AccessRule.Action.ALLOW
    )
    assert sign(client, petition, email="someone@mailinator.com").status_code == 303


def test_the_burst_limit_marks_the_sixth_signature_in_a_minute(
    client: Client, petition: Petition, settings: Any
) -> None:
    settings.SIGN_RATE_BURST = (5, 60)
    for n in range(7):
        assert sign(client, petition, n).status_code == 303
    reasons = [stored(n).suspect_reason for n in range(7)]
    assert reasons == ["", "", "", "", "", Suspect.RATE_BURST, Suspect.RATE_BURST]
    assert shown(petition) == 5
    assert sign(client, petition, 9, ip="198.51.100.1").status_code == 303
    assert stored(9).suspect_reason == ""


def test_the_sustained_limit_per_petition(
    client: Client, petition: Petition, settings: Any
) -> None:
    settings.SIGN_RATE_BURST = (100, 60)
    settings.SIGN_RATE_SUSTAINED = (3, 3600)
    for n in range(4):
        sign(client, petition, n)
    assert stored(3).suspect_reason == Suspect.RATE_SUSTAINED


def test_the_global_limit_counts_every_petition(
    client: Client, petition: Petition, settings: Any, action_now: Any
) -> None:
    settings.SIGN_RATE_GLOBAL = (3, 3600)
    other = actions.create_petition(
        owner=action_now,
        created_by=None,
        targets=[{"name": "Mayor"}],
        slug="other",
        title="Other",
        ask="Ask",
    )
    actions.publish(other)
    sign(client, petition, 0)
    sign(client, petition, 1)
    sign(client, other, 2)
    sign(client, other, 3)
    assert stored(3).suspect_reason == Suspect.RATE_GLOBAL


def test_an_allowed_ip_is_never_rate_limited(
    client: Client, petition: Petition, settings: Any
) -> None:
    settings.SIGN_RATE_BURST = (2, 60)
    AccessRule.objects.create(
        kind=AccessRule.Kind.IP,
        value="203.0.113.0/24",
        action=AccessRule.Action.ALLOW,
        note="union hall wifi",
    )
    for n in range(4):
        sign(client, petition, n)
    assert [stored(n).suspect_reason for n in range(4)] == ["", "", "", ""]


def test_clearing_suspects_lets_them_count(
    client: Client, petition: Petition, settings: Any
) -> None:
    settings.SIGN_RATE_BURST = (1, 60)
    for n in range(3):
        sign(client, petition, n)
    assert shown(petition) == 1
    cleared = actions.clear_suspects(petition, Signature.objects.all())
    assert cleared == 2
    assert shown(petition) == 3
    counts.recount(petition)
    assert PetitionCount.objects.get(petition=petition).total == 3
    assert actions.clear_suspects(petition, Signature.objects.all()) == 0


def test_a_suspect_that_confirms_still_does_not_count_until_cleared(
    client: Client, petition: Petition, settings: Any
) -> None:
    actions.set_counts_unverified(petition, False)
    sign(client, petition, token="")
    signature = stored()
    actions.verify_signature(actions.verification_token(signature))
    counts.fold()
    assert PetitionCount.objects.get(petition=petition).verified == 0
    actions.clear_suspects(petition, Signature.objects.all())
    counts.fold()
    assert PetitionCount.objects.get(petition=petition).verified == 1


@pytest.fixture
def redis_limits(settings: Any) -> Iterator[None]:
    import redis

    url = redis_test_url(15)
    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip("needs Redis on 127.0.0.1:6379")
    client.flushdb()
    settings.REDIS_URL = url
    yield
    client.flushdb()


def test_redis_counts_the_limits_when_configured(
    client: Client, petition: Petition, settings: Any, redis_limits: None
) -> None:
    settings.SIGN_RATE_BURST = (2, 60)
    for n in range(3):
        sign(client, petition, n)
    assert stored(2).suspect_reason == Suspect.RATE_BURST
    # The limit is Redis's, not the database's: signatures deleted, the counter remains.
    Signature.objects.all().delete()
    sign(client, petition, 5)
    assert stored(5).suspect_reason == Suspect.RATE_BURST
    # Every counter expires with its window (hard cap, burst, sustained, global).
    import redis

    counters = redis.Redis.from_url(settings.REDIS_URL)
    keys = counters.keys(f"{ratelimit.REDIS_PREFIX}sign_*")
    assert len(keys) == 4 and all(0 < counters.ttl(k) <= 3601 for k in keys)
    assert any(0 < counters.ttl(k) <= 61 for k in keys)


def test_redis_shares_one_limit_across_an_ipv6_64(
    client: Client, petition: Petition, settings: Any, redis_limits: None
) -> None:
    settings.SIGN_RATE_BURST = (2, 60)
    for n, ip in enumerate(["2001:db8::1", "2001:db8::2", "2001:db8::3:4"]):
        sign(client, petition, n, ip=ip)
    assert stored(2).suspect_reason == Suspect.RATE_BURST


def test_signing_goes_on_when_redis_is_down(
    client: Client, petition: Petition, settings: Any
) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    settings.SIGN_RATE_BURST = (1, 60)
    try:
        assert sign(client, petition, 0).status_code == 303
        assert sign(client, petition, 1).status_code == 303
    finally:
        ratelimit.forget()
    # The database stood in for Redis and still counted the limit.
    assert [stored(n).suspect_reason for n in range(2)] == ["", Suspect.RATE_BURST]


def test_without_redis_an_ipv6_64_shares_one_limit(
    client: Client, petition: Petition, settings: Any
) -> None:
    settings.SIGN_RATE_BURST = (2, 60)
    for n, ip in enumerate(["2001:db8::1", "2001:db8::2", "2001:db8::3:4"]):
        sign(client, petition, n, ip=ip)
    assert stored(2).suspect_reason == Suspect.RATE_BURST
