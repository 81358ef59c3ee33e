"""core.ratelimit: one counter per limit and subject, shared by every process, in Redis
or in the database, that never lets simultaneous requests slip past together."""

from __future__ import annotations

import logging
import math
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction

from groundswell.core import clock, ratelimit
from groundswell.core.models import RateCounter
from tests.conftest import redis_test_url

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = redis_test_url(13)


def fresh_window(seconds: int, margin: float = 1.0) -> None:
    """Wait, if need be, so that the next `margin` seconds fall in one window."""
    left = seconds - time.time() % seconds
    if left < margin:
        time.sleep(left + 0.05)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def redis_or_skip(url: str) -> Any:
    import redis

    client = redis.Redis.from_url(url)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"needs Redis at {url}")
    return client


@pytest.fixture(autouse=True)
def fresh_limiter() -> Iterator[None]:
    ratelimit.forget()
    yield
    ratelimit.forget()


@pytest.fixture
def subject() -> Iterator[str]:
    """A subject no other run uses, so a Redis shared with other tests stays apart."""
    name = f"test-{uuid.uuid4().hex}"
    yield name
    import redis

    try:
        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(f"{ratelimit.REDIS_PREFIX}*{name}*"):
            client.delete(key)
    except redis.ConnectionError:
        pass


@pytest.fixture(params=["database", "redis"])
def store(request: pytest.FixtureRequest, settings: Any, db: None) -> str:
    """Each behaviour holds alike where the counters live."""
    if request.param == "redis":
        redis_or_skip(REDIS_URL)
        settings.REDIS_URL = REDIS_URL
    else:
        settings.REDIS_URL = ""
    return str(request.param)


def counted_in_database() -> bool:
    return RateCounter.objects.exists()


def test_a_limit_lets_its_count_through_then_refuses(
    store: str, subject: str, settings: Any
) -> None:
    settings.DATA_REQUEST_RATE_ADDRESS = (3, 24 * 3600)
    fresh_window(24 * 3600)
    hits = [ratelimit.hit("data_request_by_address", subject) for _ in range(5)]
    assert [h.count for h in hits] == [1, 2, 3, 4, 5]
    assert [h.allowed for h in hits] == [True, True, True, False, False]
    assert all(h.limit == 3 and h.domain == "data_request_by_address" for h in hits)
    assert counted_in_database() == (store == "database")


def test_each_domain_and_subject_counts_alone(store: str, subject: str, settings: Any) -> None:
    settings.RSVP_RATE_IP = (1, 3600)
    settings.ENDORSEMENT_RATE_IP = (1, 3600)
    fresh_window(3600)
    assert ratelimit.hit("rsvp_by_ip", subject).allowed
    assert not ratelimit.hit("rsvp_by_ip", subject).allowed
    assert ratelimit.hit("rsvp_by_ip", f"{subject}-other").allowed
    assert ratelimit.hit("endorsement_by_ip", subject).allowed


def test_a_new_window_starts_again_at_one(store: str, subject: str, settings: Any) -> None:
    settings.API_RATE = (2, 1)
    fresh_window(1, margin=0.5)
    assert [ratelimit.hit("api_token", subject).count for _ in range(3)] == [1, 2, 3]
    time.sleep(1 - time.time() % 1 + 0.05)  # into the next second's window
    fresh = ratelimit.hit("api_token", subject)
    assert (fresh.count, fresh.allowed) == (1, True)


def test_several_limits_are_counted_in_one_call_in_the_order_asked(
    store: str, subject: str, settings: Any
) -> None:
    settings.SIGN_RATE_BURST = (1, 60)
    settings.SIGN_RATE_SUSTAINED = (5, 3600)
    settings.SIGN_RATE_GLOBAL = (10, 3600)
    fresh_window(3600, margin=5)
    fresh_window(60, margin=5)
    checks = [
        ("sign_burst", f"7:{subject}"),
        ("sign_sustained", f"7:{subject}"),
        ("sign_global", subject),
    ]
    ratelimit.hit_all(checks)
    second = ratelimit.hit_all(checks)
    assert [(h.domain, h.count, h.allowed) for h in second] == [
        ("sign_burst", 2, False),
        ("sign_sustained", 2, True),
        ("sign_global", 2, True),
    ]
    # A limit already over does not keep the others from counting.
    assert ratelimit.hit("sign_global", subject).count == 3


def test_retry_after_is_what_is_left_of_the_window(store: str, subject: str, settings: Any) -> None:
    settings.API_RATE = (1, 3600)
    fresh_window(3600, margin=5)
    ratelimit.hit("api_token", subject)
    refused = ratelimit.hit("api_token", subject)
    left = 3600 - time.time() % 3600
    assert not refused.allowed
    assert abs(refused.retry_after - math.ceil(left)) <= 1


def test_redis_counters_expire_when_their_window_ends(subject: str, settings: Any) -> None:
    client = redis_or_skip(REDIS_URL)
    settings.REDIS_URL = REDIS_URL
    settings.SIGN_RATE_BURST = (5, 60)
    settings.SIGN_RATE_GLOBAL = (100, 3600)
    ratelimit.hit_all([("sign_burst", f"1:{subject}"), ("sign_global", subject)])
    ttls = {
        key.decode().split(":")[3]: client.ttl(key)
        for key in client.scan_iter(f"{ratelimit.REDIS_PREFIX}*{subject}*")
    }
    assert set(ttls) == {"60", "3600"}  # the window's length is part of each key
    assert 0 < ttls["60"] <= 61 and 0 < ttls["3600"] <= 3601


def test_an_ipv6_host_is_one_client_per_64() -> None:
    assert ratelimit.client_key("2001:db8::1") == ratelimit.client_key("2001:db8::3:4")
    assert ratelimit.client_key("2001:db8::1") == "2001:db8::"
    assert ratelimit.client_key("2001:db8:0:1::1") != ratelimit.client_key("2001:db8::1")
    assert ratelimit.client_key("203.0.113.7") == "203.0.113.7"
    assert ratelimit.client_key("unknown") == "unknown"


def test_a_long_subject_is_kept_as_its_digest(db: None, settings: Any) -> None:
    settings.REDIS_URL = ""
    long_subject = "x" * 500
    assert ratelimit.hit("api_token", long_subject).count == 1
    assert ratelimit.hit("api_token", long_subject).count == 2
    [key] = RateCounter.objects.values_list("key", flat=True)
    assert len(key) <= 200 and "xxxx" not in key


def test_a_hit_in_a_transaction_that_rolls_back_is_undone(db: None, settings: Any) -> None:
    settings.REDIS_URL = ""
    settings.API_RATE = (5, 3600)
    fresh_window(3600)
    with transaction.atomic():
        assert ratelimit.hit("api_token", "t1").count == 1
    with pytest.raises(RuntimeError), transaction.atomic():
        assert ratelimit.hit("api_token", "t1").count == 2
        raise RuntimeError("the request failed after the hit")
    # The failed attempt left no trace, so the next is the second, and the
    # connection is still good for whatever comes next.
    assert ratelimit.hit("api_token", "t1").count == 2


def test_counters_of_ended_windows_are_pruned_by_the_clock(db: None, settings: Any) -> None:
    settings.REDIS_URL = ""
    settings.API_RATE = (5, 1)
    settings.RSVP_RATE_IP = (5, 3600)
    fresh_window(3600, margin=5)
    fresh_window(1, margin=0.5)
    ratelimit.hit("api_token", "ended")
    ratelimit.hit("rsvp_by_ip", "current")
    time.sleep(1.1)
    assert "core.prune_rate_counters" in [job.name for job in clock.jobs()]
    assert ratelimit.prune_expired() == 1
    assert list(RateCounter.objects.values_list("key", flat=True)) == ["rsvp_by_ip:3600:current"]
    assert ratelimit.hit("rsvp_by_ip", "current").count == 2


# --- When Redis does not answer ----------------------------------------------------------


def warnings_of(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "groundswell.core.ratelimit" and r.levelno == logging.WARNING
    ]


def test_with_redis_unreachable_the_database_counts_and_warns_once(
    db: None, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    settings.DATA_REQUEST_RATE_ADDRESS = (2, 24 * 3600)
    fresh_window(24 * 3600)
    caplog.set_level(logging.WARNING, logger="groundswell.core.ratelimit")
    started = time.monotonic()
    hits = [ratelimit.hit("data_request_by_address", "ana") for _ in range(4)]
    assert time.monotonic() - started < 2
    assert [h.allowed for h in hits] == [True, True, False, False]
    assert RateCounter.objects.get().count == 4
    [warning] = warnings_of(caplog)
    assert "Redis does not answer" in warning and "database" in warning


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A Redis server of the test's own, to stop and start again."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("needs redis-server")
    port = free_port()
    argv = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    argv += ["--appendonly", "no", "--dir", str(tmp_path)]
    url = f"redis://127.0.0.1:{port}/0"
    server: dict[str, Any] = {"url": url}

    def start() -> None:
        server["process"] = subprocess.Popen(
            argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        import redis

        deadline = time.monotonic() + 10
        while True:
            try:
                redis.Redis.from_url(url).ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop() -> None:
        server["process"].terminate()
        server["process"].wait(timeout=10)

    server["start"], server["stop"] = start, stop
    start()
    yield server
    if server["process"].poll() is None:
        stop()


def test_when_redis_comes_back_it_counts_there_again_and_says_so(
    db: None,
    settings: Any,
    own_redis: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ratelimit, "REDIS_RETRY_SECONDS", 0.0)  # try Redis at every hit
    settings.REDIS_URL = own_redis["url"]
    settings.API_RATE = (10, 3600)
    fresh_window(3600, margin=10)
    caplog.set_level(logging.WARNING, logger="groundswell.core.ratelimit")
    assert ratelimit.hit("api_token", "t").count == 1
    assert not RateCounter.objects.exists()
    own_redis["stop"]()
    assert [ratelimit.hit("api_token", "t").count for _ in range(3)] == [1, 2, 3]
    assert RateCounter.objects.get().count == 3
    own_redis["start"]()  # empty: it kept nothing on disk
    assert ratelimit.hit("api_token", "t").count == 1
    assert RateCounter.objects.get().count == 3
    [down, back] = warnings_of(caplog)
    assert "does not answer" in down and "answers again" in back


# --- Simultaneous hits ---------------------------------------------------------------------

CROWD_SCRIPT = """
import os, sys, time
from pathlib import Path
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "groundswell.settings")
django.setup()
from groundswell.core import ratelimit
tmp, me, hits = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
ratelimit.hit("api_token", "warm-up-" + me)  # connected and ready
(tmp / ("ready-" + me)).touch()
while not (tmp / "go").exists():
    time.sleep(0.001)
print(" ".join(str(ratelimit.hit("data_request_by_address", "crowd").count) for _ in range(hits)))
"""


def test_many_processes_hitting_one_counter_at_once_never_pass_the_limit(
    tmp_path: Path,
) -> None:
    """Several app processes on one SQLite file: every hit gets a count of its own."""
    processes, hits, limit = 4, 25, 30
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        {
            "VAR_DIR": str(tmp_path),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'crowd.sqlite3'}",
            "DATA_REQUEST_RATE_ADDRESS": f"{limit}/86400",
            "GROUNDSWELL_TESTING": "0",
            "PYTHONPATH": str(ROOT),
        }
    )
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=180,
    )
    script = tmp_path / "crowd.py"
    script.write_text(CROWD_SCRIPT)
    fresh_window(24 * 3600, margin=120)
    crowd = [
        subprocess.Popen(
            [sys.executable, str(script), str(tmp_path), str(n), str(hits)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(processes)
    ]
    try:
        deadline = time.monotonic() + 120
        while len(list(tmp_path.glob("ready-*"))) < processes:
            assert time.monotonic() < deadline, [p.poll() for p in crowd]
            time.sleep(0.05)
        (tmp_path / "go").touch()
        outputs = [p.communicate(timeout=120) for p in crowd]
    finally:
        for p in crowd:
            if p.poll() is None:
                p.kill()
    assert all(p.returncode == 0 for p in crowd), [err for _out, err in outputs]
    counts = sorted(int(c) for out, _err in outputs for c in out.split())
    assert counts == list(range(1, processes * hits + 1))  # no two hits saw one count
    assert sum(1 for c in counts if c <= limit) == limit


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_many_threads_hitting_one_counter_at_once_never_pass_the_limit_on_postgresql(
    settings: Any,
) -> None:
    settings.REDIS_URL = ""
    settings.DATA_REQUEST_RATE_ADDRESS = (30, 24 * 3600)
    fresh_window(24 * 3600, margin=60)
    threads, hits = 8, 25
    start = threading.Barrier(threads)

    def crowd() -> list[int]:
        try:
            start.wait()
            return [ratelimit.hit("data_request_by_address", "crowd").count for _ in range(hits)]
        finally:
            connection.close()

    with ThreadPoolExecutor(threads) as pool:
        results = [pool.submit(crowd) for _ in range(threads)]
        counts = sorted(c for r in results for c in r.result())
    assert counts == list(range(1, threads * hits + 1))
    assert sum(1 for c in counts if c <= 30) == 30
