"""How fast verification emails drain to a local SMTP server.

    .venv/bin/python benchmarks/email_drain.py [--emails 2000] [--workers 1] [--profile]

On the petition made by generate_petition.py: starts an SMTP server (aiosmtpd) on
127.0.0.1 at a free port, queues a confirmation email for N pending signatures the way
the product queues them, starts the real worker process(es) with
EMAIL_URL=smtp://127.0.0.1:<port> and the product's default logging, and times until
the server has received all N. Prints emails per second from the first email to the
last (the drain rate) and counting the worker's start-up, how many SMTP connections
the worker opened, and what became of the queued emails.

It follows the product's design, whichever this checkout has:

- "task": one groundswell.petitions.tasks.send_verification task per signature
  (enqueued with .enqueue(), run by `manage.py worker --no-clock`);
- "outbox": Signature.verification_due set on each signature, moved into the outbox
  (core.outbox) and sent by the worker's email thread, each marked sent as the server
  accepts it (`manage.py worker`).

--profile shows where the time goes: for "task", the worker process under cProfile,
split into the steps of one task (claim, load, render, SMTP, mark done); for
"outbox", the product's outbox sender (core.outbox.send_due) under cProfile here.
--breakdown also times the same worker with mail written to files (no SMTP), and
SMTP alone from this process (a connection per email, one for all).
"""

from __future__ import annotations

import argparse
import json
import os
import pstats
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import scale_env
from scale_env import Figure

TARGET_PER_S = 200.0


class Counter:
    """What the SMTP server saw: messages (with arrival times) and connections."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: list[float] = []
        self.recipients: set[str] = set()
        self.connections = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        now = time.perf_counter()
        with self.lock:
            self.times.append(now)
            self.recipients.update(envelope.rcpt_tos)
        return "250 OK"

    @property
    def received(self) -> int:
        with self.lock:
            return len(self.times)


def start_smtp(counter: Counter) -> Any:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import SMTP

    class CountingSMTP(SMTP):
        def connection_made(self, transport: Any) -> None:
            with counter.lock:
                counter.connections += 1
            super().connection_made(transport)

    class CountingController(Controller):
        def factory(self) -> SMTP:
            return CountingSMTP(self.handler, **self.SMTP_kwargs)

    import logging

    logging.getLogger("mail.log").setLevel(logging.WARNING)
    sys.path.insert(0, str(scale_env.REPO))
    from tests.smtp import free_port

    controller = CountingController(counter, hostname="127.0.0.1", port=free_port())
    controller.start()
    return controller


def design() -> str:
    """How this checkout sends confirmation emails: "outbox" (signatures marked due, fed
    into core.outbox's table and sent by the worker's email thread) or "task"."""
    from groundswell.petitions import tasks
    from groundswell.petitions.models import Signature

    columns = {f.name for f in Signature._meta.concrete_fields}
    try:
        from groundswell.petitions import emails
    except ImportError:
        emails = None  # type: ignore[assignment]
    if hasattr(emails, "queue_confirmations") and "verification_due" in columns:
        return "outbox"
    if hasattr(tasks, "send_verification"):
        return "task"
    raise SystemExit("Cannot tell how this version sends confirmation emails.")


class Batch:
    """The emails one measurement queued: task ids ("task") or signature ids ("outbox")."""

    def __init__(self, addresses: list[str], ids: list[Any], seconds: float, cleared: int):
        self.addresses, self.ids, self.seconds, self.cleared = addresses, ids, seconds, cleared


def enqueue(n: int) -> Batch:
    """Queue a confirmation email for N pending signatures, as signing queues it.

    First drop what an earlier run left waiting (finished tasks stay, as in production:
    the product never prunes them)."""
    from django.db import transaction
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from groundswell.petitions import tasks
    from groundswell.petitions.models import Signature, SignatureState

    petition = scale_env.find_petition()
    if petition is None:
        raise SystemExit("No benchmark petition: run benchmarks/generate_petition.py first.")
    cleared, _ = DBTaskResult.objects.exclude(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED]
    ).delete()
    outbox = design() == "outbox"
    if outbox:
        cleared += Signature.objects.filter(verification_due=True).update(verification_due=False)
    pending = list(
        Signature.objects.filter(petition=petition, state=SignatureState.PENDING)
        .order_by("pk")
        .values_list("pk", "email")[:n]
    )
    if len(pending) < n:
        raise SystemExit(f"Only {len(pending)} pending signatures; regenerate with more.")
    start = time.perf_counter()
    with transaction.atomic():
        if outbox:
            ids: list[Any] = [pk for pk, _email in pending]
            Signature.objects.filter(pk__in=ids).update(verification_due=True)
        else:
            ids = [str(tasks.send_verification.enqueue(pk).id) for pk, _email in pending]
    seconds = time.perf_counter() - start
    return Batch([email for _pk, email in pending], ids, seconds, cleared)


def queue_outcomes(ids: list[Any]) -> dict[str, int]:
    """What became of this run's emails (and how many task results the table holds)."""
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from groundswell.petitions.models import Signature

    if design() == "outbox":
        from groundswell.core.models import OutboundEmail

        mine = Signature.objects.filter(pk__in=ids)
        emails = OutboundEmail.objects.filter(
            kind="petitions.confirmation", args__signature__in=ids
        )
        return {
            "still_due": mine.filter(verification_due=True).count()
            + emails.filter(state__in=["queued", "claimed"]).count(),
            "sent": emails.filter(state="sent").count(),
            "task_table_rows": DBTaskResult.objects.count(),
        }
    tasks_mine = DBTaskResult.objects.filter(id__in=ids)
    return {
        "task_table_rows": DBTaskResult.objects.count(),
        **{
            row["status"]: row["n"]
            for row in tasks_mine.values("status").annotate(n=Count("id")).order_by()
        },
    }


def waiting(ids: list[Any]) -> bool:
    """Whether any of this run's emails is still waiting to be sent."""
    from django_tasks_db.models import DBTaskResult

    from groundswell.petitions.models import Signature

    if design() == "outbox":
        from groundswell.core.models import OutboundEmail

        return (
            Signature.objects.filter(pk__in=ids, verification_due=True).exists()
            or OutboundEmail.objects.filter(
                kind="petitions.confirmation",
                args__signature__in=ids,
                state__in=["queued", "claimed"],
            ).exists()
        )
    mine = DBTaskResult.objects.filter(id__in=ids)
    return mine.ready().exists() or mine.running().exists()


def start_workers(
    count: int, email_url: str, profile_path: Path | None = None, log_name: str = "worker"
) -> list[subprocess.Popen[bytes]]:
    env = scale_env.bench_environ(
        {
            "EMAIL_URL": email_url,
            "LOG_LEVEL": os.environ.get("BENCH_WORKER_LOG_LEVEL", "INFO"),  # as shipped
        }
    )
    log = open(scale_env.VAR_DIR / f"email-drain-{log_name}.log", "wb")  # noqa: SIM115
    workers = []
    for index in range(count):
        cmd = [sys.executable]
        if profile_path is not None and index == 0:
            cmd += ["-m", "cProfile", "-o", str(profile_path)]
        # The outbox is fed and sent by the worker's email thread; no clock needed.
        clock = ["--no-clock"]
        cmd += [str(scale_env.REPO / "manage.py"), "worker", *clock]
        workers.append(subprocess.Popen(cmd, env=env, cwd=scale_env.REPO, stdout=log, stderr=log))
    return workers


def rate_by_quarter(times: list[float]) -> list[float]:
    """Emails/s in each quarter of the drain: a rate that falls as the queue empties
    points at work that grows with the tasks already done."""
    if len(times) < 8:
        return []
    q = len(times) // 4
    rates = []
    for i in range(4):
        chunk = times[i * q : (i + 1) * q + 1]
        span = chunk[-1] - chunk[0]
        rates.append((len(chunk) - 1) / span if span else 0.0)
    return rates


def worker_failed(log_name: str) -> str:
    path = scale_env.VAR_DIR / f"email-drain-{log_name}.log"
    tail = path.read_text(errors="replace").strip().splitlines()[-8:]
    return "the worker exited early; the end of " + str(path) + ":\n" + "\n".join(tail)


def stop_workers(workers: list[subprocess.Popen[bytes]]) -> None:
    for worker in workers:
        if worker.poll() is None:
            worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


# --- Profile --------------------------------------------------------------------------------

STEPS = (
    # (label, substrings of "file:function" whose cumulative time counts for the step)
    (
        "claim the task (SELECT ... FOR UPDATE SKIP LOCKED + UPDATE, one transaction)",
        ("models.py:get_locked", "models.py:claim", "utils.py:exclusive_transaction"),
    ),
    ("load the signature (ORM)", ("tasks.py:send_verification>query",)),
    ("render the message (3 templates, translation)", ("mail.py:build_message",)),
    ("SMTP: connect, EHLO, send, QUIT (one connection per task)", ("mail.py:send_messages",)),
    ("mark the task done (UPDATE)", ("models.py:set_successful",)),
    ("close_old_connections (twice a loop; health check)", ("__init__.py:close_old_connections",)),
    ("sleep when the queue looked empty", ("{built-in method time.sleep}",)),
)


def _cumulative(stats: pstats.Stats, needle: str) -> tuple[float, int]:
    """Cumulative seconds and calls of the functions whose 'file:function' ends as given."""
    total, calls = 0.0, 0
    file_part, _, func_part = needle.partition(":")
    for (filename, _line, func), (_cc, nc, _tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        if needle.startswith("{"):
            if func == needle:
                total, calls = total + ct, calls + nc
            continue
        if filename.endswith("/" + file_part) and func == func_part:
            total, calls = total + ct, calls + nc
    return total, calls


def explain_profile(path: Path, emails: int) -> dict[str, Any]:
    stats = pstats.Stats(str(path))
    run_total, _ = _cumulative(stats, "db_worker.py:run")
    task_total, tasks = _cumulative(stats, "db_worker.py:run_task")
    steps = {}
    for label, needles in STEPS:
        seconds = 0.0
        calls = 0
        for needle in needles:
            if needle.endswith(">query"):
                continue
            s, c = _cumulative(stats, needle)
            if needle == "utils.py:exclusive_transaction":
                continue  # a generator context manager; its time is in its callers
            seconds += s
            calls = max(calls, c)
        steps[label] = {"seconds": seconds, "calls": calls}
    verification, _ = _cumulative(stats, "tasks.py:send_verification")
    build, _ = _cumulative(stats, "mail.py:build_message")
    send, _ = _cumulative(stats, "mail.py:send_messages")
    steps["load the signature (ORM)"]["seconds"] = max(verification - build - send, 0.0)
    connect, connects = _cumulative(stats, "smtplib.py:connect")
    quit_, _ = _cumulative(stats, "smtplib.py:quit")
    sendmail, _ = _cumulative(stats, "smtplib.py:sendmail")
    ehlo, _ = _cumulative(stats, "smtplib.py:ehlo")
    db_wait, db_calls = _cumulative(stats, "connection.py:wait")
    return {
        "profile": str(path),
        "worker_loop_s": run_total,
        "tasks": tasks,
        "tasks_s": task_total,
        "steps": steps,
        "smtp": {
            "connect_s": connect,
            "connects": connects,
            "ehlo_s": ehlo,
            "sendmail_s": sendmail,
            "quit_s": quit_,
        },
        "db_round_trips": db_calls,
        "db_wait_s": db_wait,
        "emails": emails,
    }


def print_profile(p: dict[str, Any]) -> None:
    per = max(p["tasks"], 1)
    loop = p["worker_loop_s"] or 1
    print()
    print(
        f"Where the worker's time went (cProfile, {p['tasks']:,} tasks, {loop:.2f} s in the "
        f"worker loop; cProfile slows Python code, so read the shares, not the rate):"
    )
    for label, step in p["steps"].items():
        share = step["seconds"] / loop * 100
        print(f"  {step['seconds'] * 1000 / per:7.3f} ms/task {share:5.1f}%  {label}")
    smtp = p["smtp"]
    print(
        f"  SMTP detail: {smtp['connects']:,} TCP connections; per task connect "
        f"{smtp['connect_s'] * 1000 / per:.3f} ms, EHLO {smtp['ehlo_s'] * 1000 / per:.3f} ms, "
        f"sendmail {smtp['sendmail_s'] * 1000 / per:.3f} ms, "
        f"QUIT {smtp['quit_s'] * 1000 / per:.3f} ms"
    )
    print(
        f"  PostgreSQL: {p['db_round_trips']:,} waits on the server "
        f"({p['db_round_trips'] / per:.1f} per task), {p['db_wait_s'] * 1000 / per:.3f} ms/task"
    )


# --- Main -------------------------------------------------------------------------------------


def run(emails: int, workers: int, profile: bool, timeout: float) -> dict[str, Any]:
    counter = Counter()
    controller = start_smtp(counter)
    port = controller.port
    with counter.lock:
        counter.connections = 0  # the controller's own start-up probe
    try:
        batch = enqueue(emails)
        addresses, enqueue_s, cleared = batch.addresses, batch.seconds, batch.cleared
        print(
            f"Queued {emails:,} verification emails ({design()} design) in {enqueue_s:.2f} s "
            f"({cleared} left from earlier runs cleared); SMTP server on 127.0.0.1:{port}"
        )
        profile_path = (
            scale_env.VAR_DIR / "email-drain-worker.prof"
            if profile and design() == "task"
            else None
        )
        started = time.perf_counter()
        procs = start_workers(workers, f"smtp://127.0.0.1:{port}", profile_path)
        try:
            deadline = started + timeout
            while counter.received < emails and time.perf_counter() < deadline:
                if all(p.poll() is not None for p in procs):
                    raise RuntimeError(worker_failed("worker"))
                time.sleep(0.02)
            finished = time.perf_counter()
        finally:
            stop_workers(procs)
    finally:
        controller.stop()
    times = sorted(counter.times)
    received = len(times)
    drain_s = (times[-1] - times[0]) if received > 1 else 0.0
    missing = set(a.lower() for a in addresses) - {r.lower() for r in counter.recipients}
    result: dict[str, Any] = {
        "design": design(),
        "emails": emails,
        "workers": workers,
        "received": received,
        "missing_recipients": len(missing),
        "smtp_connections": counter.connections,
        "enqueue_s": enqueue_s,
        "first_email_after_s": (times[0] - started) if times else None,
        "drain_s": drain_s,
        "wall_s": (times[-1] - started) if times else finished - started,
        "rate_per_s": (received - 1) / drain_s if drain_s else 0.0,
        "rate_with_startup_per_s": received / (times[-1] - started) if times else 0.0,
        "queue": queue_outcomes(batch.ids),
        "timed_out": received < emails,
        "rate_by_quarter_per_s": rate_by_quarter(times),
    }
    if profile and profile_path and profile_path.exists():
        result["profile"] = explain_profile(profile_path, emails)
    elif profile:
        result["outbox_profile"] = profile_outbox(emails)
    return result


def profile_outbox(emails: int) -> dict[str, Any]:
    """The product's outbox sender (core.outbox.send_due, which first feeds due
    confirmations into the outbox) under cProfile, here, to a fresh SMTP server."""
    import cProfile

    from django.conf import settings

    from groundswell.core import outbox

    counter = Counter()
    controller = start_smtp(counter)
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        batch = enqueue(emails)
        profiler = cProfile.Profile()
        start = time.perf_counter()
        profiler.enable()
        while waiting(batch.ids):
            outbox.send_due("bench-profile")
        profiler.disable()
        seconds = time.perf_counter() - start
    finally:
        controller.stop()
    stats = pstats.Stats(profiler)
    parts = {
        "SQL (feed, claim FOR UPDATE SKIP LOCKED, mark each sent)": "compiler.py:execute_sql",
        "render the messages (templates, translation)": "mail.py:build_message",
        "SMTP (one connection per batch), of which:": "outbox.py:send_claimed",
        "  MIME: each message's bytes": "message.py:message",
        "  smtplib sendmail": "smtplib.py:sendmail",
        "signed verification links": "actions.py:verification_token",
    }
    return {
        "emails": counter.received,
        "seconds_profiled": seconds,
        "parts": {label: _cumulative(stats, needle)[0] for label, needle in parts.items()},
    }


def print_outbox_profile(p: dict[str, Any]) -> None:
    n = max(p["emails"], 1)
    total = p["seconds_profiled"] or 1
    print()
    print(
        f"Where the outbox sender spends its time (cProfile, here, {p['emails']:,} "
        f"emails in {total:.2f} s; cProfile slows Python, so read the shares):"
    )
    for label, seconds in p["parts"].items():
        print(f"  {seconds * 1000 / n:7.3f} ms/email {seconds / total * 100:5.1f}%  {label}")


# --- Breakdown: the same tasks without SMTP, and SMTP without the queue ---------------------


def drain_without_smtp(emails: int, timeout: float) -> dict[str, Any]:
    """The same worker and emails, written to files (EMAIL_URL=file:): the queue, the
    database and the rendering, without any SMTP."""
    import shutil

    from django.db.models import Count, Max, Min
    from django_tasks_db.models import DBTaskResult

    from groundswell.petitions.models import Signature

    outbox = scale_env.VAR_DIR / "email-drain-outbox"
    shutil.rmtree(outbox, ignore_errors=True)
    outbox.mkdir(parents=True)
    batch = enqueue(emails)
    procs = start_workers(1, f"file:{outbox}", log_name="worker-file")
    started = time.perf_counter()
    try:
        deadline = started + timeout
        while time.perf_counter() < deadline:
            if procs[0].poll() is not None:
                raise RuntimeError(worker_failed("worker-file"))
            if not waiting(batch.ids):
                break
            time.sleep(0.05)
    finally:
        stop_workers(procs)
    if design() == "outbox":
        # Each batch is stamped with one time: rate over the batches after the first.
        mine = Signature.objects.filter(pk__in=batch.ids, verification_due=False)
        stamps = list(
            mine.values("verification_sent_at")
            .annotate(n=Count("id"))
            .order_by("verification_sent_at")
            .values_list("verification_sent_at", "n")
        )
        done = sum(n for _t, n in stamps)
        if len(stamps) > 1:
            seconds = (stamps[-1][0] - stamps[0][0]).total_seconds()
            rate = (done - stamps[0][1]) / seconds if seconds else 0.0
        else:
            seconds, rate = 0.0, 0.0
        return {"emails": done, "seconds": seconds, "rate_per_s": rate}
    tasks_mine = DBTaskResult.objects.filter(id__in=batch.ids)
    span = tasks_mine.aggregate(first=Min("started_at"), last=Max("finished_at"))
    done = tasks_mine.successful().count()
    seconds = (span["last"] - span["first"]).total_seconds() if span["first"] else 0.0
    return {"emails": done, "seconds": seconds, "rate_per_s": done / seconds if seconds else 0.0}


def smtp_ceiling(port: int, emails: int) -> dict[str, Any]:
    """From this process, the verification message rendered as the task renders it, then
    sent over SMTP to the same server: one connection per message, and one for all."""
    from django.core.mail import get_connection
    from django.urls import reverse

    from groundswell.core.mail import build_message
    from groundswell.petitions.actions import verification_token
    from groundswell.petitions.emails import absolute
    from groundswell.petitions.models import Signature, SignatureState

    petition = scale_env.find_petition()
    signatures = list(
        Signature.objects.select_related("petition")
        .filter(petition=petition, state=SignatureState.PENDING)
        .order_by("pk")[:emails]
    )
    start = time.perf_counter()
    messages = []
    for signature in signatures:
        link = absolute(reverse("petitions:verify", args=[verification_token(signature)]))
        messages.append(
            build_message(
                to=signature.email,
                template="petitions/email/verify",
                context={"signature": signature, "petition": signature.petition, "link": link},
                language=signature.language,
            )
        )
    render_s = time.perf_counter() - start

    def backend() -> Any:
        return get_connection(
            "django.core.mail.backends.smtp.EmailBackend",
            host="127.0.0.1",
            port=port,
            use_tls=False,
            use_ssl=False,
            username="",
            password="",
            timeout=20,
        )

    start = time.perf_counter()
    for message in messages:
        with backend() as connection:
            connection.send_messages([message])
    per_connection_s = time.perf_counter() - start
    start = time.perf_counter()
    with backend() as connection:
        connection.send_messages(messages)
    one_connection_s = time.perf_counter() - start
    n = len(messages)
    return {
        "emails": n,
        "render_ms_per_email": render_s / n * 1000,
        "connection_per_email_per_s": n / per_connection_s,
        "connection_per_email_ms": per_connection_s / n * 1000,
        "one_connection_per_s": n / one_connection_s,
        "one_connection_ms": one_connection_s / n * 1000,
    }


def breakdown(emails: int, timeout: float) -> dict[str, Any]:
    counter = Counter()
    controller = start_smtp(counter)
    try:
        ceiling = smtp_ceiling(controller.port, emails)
    finally:
        controller.stop()
    return {"smtp_from_here": ceiling, "worker_without_smtp": drain_without_smtp(emails, timeout)}


def print_breakdown(b: dict[str, Any]) -> None:
    c, w = b["smtp_from_here"], b["worker_without_smtp"]
    print()
    print("Breakdown (to find the bottleneck):")
    print(
        f"  the worker, same emails, written to files instead of SMTP: {w['rate_per_s']:.0f}/s "
        f"({w['emails']:,} in {w['seconds']:.2f} s): the queue + database + rendering"
    )
    print(
        f"  rendering one verification email (3 templates) here: {c['render_ms_per_email']:.2f} ms"
    )
    print(
        f"  SMTP from this process, a new connection per email: "
        f"{c['connection_per_email_per_s']:.0f}/s "
        f"({c['connection_per_email_ms']:.2f} ms each)"
    )
    print(
        f"  SMTP from this process, one connection for all {c['emails']:,}: "
        f"{c['one_connection_per_s']:.0f}/s ({c['one_connection_ms']:.2f} ms each)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--emails", "-n", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--breakdown",
        action="store_true",
        help="also time the worker without SMTP, and SMTP without the worker",
    )
    parser.add_argument("--timeout", type=float, default=180.0)
    parser.add_argument("--json-out", type=Path, help="write the result here (scale.py)")
    args = parser.parse_args(argv)

    scale_env.setup()
    result = run(args.emails, args.workers, args.profile, args.timeout)
    print(
        f"Received {result['received']:,} of {result['emails']:,} emails over "
        f"{result['smtp_connections']:,} SMTP connections; first after "
        f"{result['first_email_after_s'] or 0:.2f} s (worker start-up), then "
        f"{result['drain_s']:.2f} s; queue: {result['queue']}"
    )
    quarters = ", ".join(f"{r:.0f}" for r in result["rate_by_quarter_per_s"])
    print(f"Emails/s in each quarter of the drain: {quarters}")
    if "profile" in result:
        print_profile(result["profile"])
    if "outbox_profile" in result:
        print_outbox_profile(result["outbox_profile"])
    if args.breakdown:
        result["breakdown"] = breakdown(args.emails, args.timeout)
        print_breakdown(result["breakdown"])
    figures = [
        Figure(
            f"Verification emails drained, {args.workers} worker(s), {result['design']} design",
            result["rate_per_s"],
            "emails/s",
            target=TARGET_PER_S,
            higher_is_better=True,
        ),
        Figure(
            "  the same, counting the worker's start-up",
            result["rate_with_startup_per_s"],
            "emails/s",
        ),
        Figure(
            "  SMTP connections per email",
            result["smtp_connections"] / max(result["received"], 1),
            "conn",
        ),
    ]
    if args.json_out:
        args.json_out.write_text(json.dumps(result, indent=2, default=str))
    else:
        scale_env.print_table("Verification email drain", figures)
        path = scale_env.write_results(
            "email-drain", {"figures": [f.as_dict() for f in figures], **result}
        )
        print(f"Results written to {path.relative_to(scale_env.REPO)}")
    return 0 if not result["timed_out"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
