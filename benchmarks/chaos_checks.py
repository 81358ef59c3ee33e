"""What the chaos benchmark checks once the system has settled: the database and the
SMTP sink against what the load was told (benchmarks/chaos.py), and how long /healthz
took to notice each fault."""

from __future__ import annotations

from collections import Counter
from typing import Any

import psycopg
from chaos_services import Received

NOTICE_CAP_S = 120.0


# --- /healthz -----------------------------------------------------------------------------


def _section(body: Any, name: str) -> Any:
    return body.get(name) if isinstance(body, dict) else None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _workers(sample: dict[str, Any]) -> tuple[int, int] | None:
    workers = _section(sample.get("body"), "workers")
    if not isinstance(workers, dict):
        return None
    alive, lost = _int(workers.get("alive")), _int(workers.get("lost"))
    if alive is None or lost is None:
        return None
    return alive, lost


def _overall(sample: dict[str, Any]) -> str | None:
    status = _section(sample.get("body"), "status")
    return status if isinstance(status, str) else None


def _workers_status(sample: dict[str, Any]) -> str | None:
    """workers.status where /healthz has it, else the overall status."""
    workers = _section(sample.get("body"), "workers")
    if isinstance(workers, dict):
        status = workers.get("status")
        return status if isinstance(status, str) else None
    return _overall(sample)


def _postgres_sign(sample: dict[str, Any]) -> str | None:
    if sample.get("status") is None:
        return f"/healthz itself failed ({sample.get('error', 'no answer')})"
    database = _section(sample.get("body"), "database")
    if isinstance(database, dict) and database.get("status") == "error":
        return "database.status = error"
    # A 503 that says the database is fine is about something else (a lost worker).
    database_ok = database == "ok" or (
        isinstance(database, dict) and database.get("status") == "ok"
    )
    if sample["status"] == 503 and not database_ok:
        return "HTTP 503"
    return None


def _redis_sign(sample: dict[str, Any]) -> str | None:
    cache = _section(sample.get("body"), "cache")
    if isinstance(cache, dict) and cache.get("status") == "error":
        return "cache.status = error"
    return None


def _healthy(sample: dict[str, Any]) -> bool:
    return sample.get("status") == 200 and _overall(sample) == "ok"


def notice(faults: list[dict[str, Any]], samples: list[dict[str, Any]]) -> None:
    """Fill in, for each fault, how long /healthz took to show it (`noticed_after_s`,
    None when it never did within the window) and what it showed (`noticed_by`). The
    window ends at the next fault of the same kind, or NOTICE_CAP_S later. Each kind is
    noticed by its own signs: a worker by workers.lost, workers.alive or workers.status
    (the overall status where /healthz has no workers object, and not while PostgreSQL
    or Redis is down); PostgreSQL by a failed /healthz, database.status = error, or a
    503 that does not say the database is ok; Redis by cache.status = error."""
    outages = [
        (f["at"], f["at"] + float(f.get("seconds") or f.get("down_s") or 0) + 5.0)
        for f in faults
        if f["kind"] in ("postgres", "redis")
    ]
    for fault in faults:
        t0 = fault["at"]
        later = [f["at"] for f in faults if f["kind"] == fault["kind"] and f["at"] > t0]
        end = min([t0 + NOTICE_CAP_S, *later[:1]])
        window = [s for s in samples if t0 <= s["t"] < end]
        before = [s for s in samples if s["t"] < t0]
        fault["noticed_after_s"] = None
        fault["noticed_by"] = None
        fault["healthz_samples_in_window"] = len(window)
        kind = fault["kind"]
        if kind == "app":
            replaced = fault.get("replaced_after_s")
            fault["noticed_by"] = (
                f"n/a (replaced in {replaced:.1f} s)"
                if replaced is not None
                else "n/a (not replaced)"
            )
            continue
        if kind == "worker":
            calm = [s for s in window if not any(a <= s["t"] < b for a, b in outages)]
            sign = _worker_sign(before, window, calm)
        elif kind == "postgres":
            sign = _first(window, _postgres_sign, "/healthz never failed nor reported the database")
        else:
            sign = _first(window, _redis_sign, _no_section(samples, "cache"))
        if sign[0] is not None:
            fault["noticed_after_s"] = round(sign[0] - t0, 2)
            fault["noticed_by"] = sign[1]
            back = [s for s in window if s["t"] > sign[0] and _healthy(s)]
            fault["healthy_again_after_s"] = round(back[0]["t"] - t0, 2) if back else None
        else:
            fault["noticed_by"] = f"not noticed: {sign[1]}"
            if kind == "postgres" and fault.get("seconds") is not None:
                fault["noticed_by"] += f" (it was back after {fault['seconds']:g} s)"


def _first(window: list[dict[str, Any]], test: Any, otherwise: str) -> tuple[float | None, str]:
    for sample in window:
        found = test(sample)
        if found:
            return sample["t"], found
    return None, otherwise


def _no_section(samples: list[dict[str, Any]], name: str) -> str:
    shapes = [_section(s.get("body"), name) for s in samples if s.get("body") is not None]
    if not any(isinstance(v, dict) for v in shapes):
        return f"/healthz has no '{name}' object (answers like {_example(samples)})"
    return f"'{name}.status' never said error"


def _example(samples: list[dict[str, Any]]) -> str:
    for sample in samples:
        if isinstance(sample.get("body"), dict):
            return str(sample["body"])[:120]
    return "nothing parseable"


def _worker_sign(
    before: list[dict[str, Any]], window: list[dict[str, Any]], calm: list[dict[str, Any]]
) -> tuple[float | None, str]:
    base = next((w for s in reversed(before) if (w := _workers(s)) is not None), None)
    base_status = next(
        (st for s in reversed(before) if (st := _workers_status(s)) is not None), None
    )
    calm_times = {s["t"] for s in calm}
    for sample in window:
        workers = _workers(sample)
        if base is not None and workers is not None:
            if workers[1] > base[1]:
                return sample["t"], f"workers.lost {base[1]} → {workers[1]}"
            if workers[0] < base[0]:
                return sample["t"], f"workers.alive {base[0]} → {workers[0]}"
        status = _workers_status(sample)
        if base_status == "ok" and status not in (None, "ok") and sample["t"] in calm_times:
            where = (
                "workers.status"
                if isinstance(_section(sample["body"], "workers"), dict)
                else "status"
            )
            return sample["t"], f"{where} {status}"
    if base is None:
        return (
            None,
            f"/healthz has no 'workers' with alive and lost (answers like {_example(window)})",
        )
    return None, "workers.lost and workers.alive unchanged, status ok"


def longest_notice(faults: list[dict[str, Any]]) -> dict[str, Any]:
    """Per fault kind: the longest time to notice, and how many went unnoticed."""
    out: dict[str, Any] = {}
    for kind in ("worker", "app", "postgres", "redis"):
        mine = [f for f in faults if f["kind"] == kind]
        if not mine:
            continue
        if kind == "app":
            replaced = [
                f["replaced_after_s"] for f in mine if f.get("replaced_after_s") is not None
            ]
            out[kind] = {
                "faults": len(mine),
                "longest_replacement_s": max(replaced) if replaced else None,
                "not_replaced": len(mine) - len(replaced),
            }
            continue
        noticed = [f for f in mine if f["noticed_after_s"] is not None]
        slowest = max(noticed, key=lambda f: f["noticed_after_s"], default=None)
        out[kind] = {
            "faults": len(mine),
            "longest_s": slowest["noticed_after_s"] if slowest else None,
            "longest_by": slowest["noticed_by"] if slowest else None,
            "not_noticed": len(mine) - len(noticed),
            "why_not": sorted({f["noticed_by"] for f in mine if f["noticed_after_s"] is None}),
        }
    return out


# --- The database and the mailbox ---------------------------------------------------------


def _table(conn: psycopg.Connection[Any], like: str) -> str | None:
    row = conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE %s "
        "ORDER BY tablename LIMIT 1",
        [like],
    ).fetchone()
    return str(row[0]) if row else None


def _columns(conn: psycopg.Connection[Any], table: str) -> set[str]:
    rows = conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s", [table]
    ).fetchall()
    return {str(r[0]) for r in rows}


def stuck_work(db_url: str) -> dict[str, Any]:
    """Work that should have been done by now: tasks RUNNING or READY and due, outbox
    rows queued and due or claimed, confirmations still due, imports not finished."""
    out: dict[str, Any] = {"notes": []}
    with psycopg.connect(db_url, autocommit=True, connect_timeout=10) as conn:
        tasks = _table(conn, "%dbtaskresult")
        if tasks:
            rows = conn.execute(
                f"SELECT status, task_path, count(*), "  # noqa: S608 - a table name we found
                f"count(*) FILTER (WHERE run_after <= now()) FROM {tasks} GROUP BY 1, 2"
            ).fetchall()
            out["task_states"] = {f"{s} {p}": int(n) for s, p, n, _d in rows}
            out["tasks_running"] = sum(int(n) for s, _p, n, _d in rows if s == "RUNNING")
            out["tasks_ready_due"] = sum(int(d) for s, _p, _n, d in rows if s == "READY")
            out["tasks_failed"] = sum(int(n) for s, _p, n, _d in rows if s == "FAILED")
        else:
            out["notes"].append("no django-tasks table")
        outbox = _table(conn, "core_outboundemail")
        if outbox:
            row = conn.execute(
                f"SELECT count(*) FILTER (WHERE state = 'queued' AND due_at <= now()), "  # noqa: S608
                f"count(*) FILTER (WHERE state = 'claimed'), "
                f"count(*) FILTER (WHERE state = 'failed'), count(*) FROM {outbox}"
            ).fetchone()
            assert row is not None
            out["outbox_queued_due"], out["outbox_claimed"] = int(row[0]), int(row[1])
            out["outbox_failed"], out["outbox_rows"] = int(row[2]), int(row[3])
        else:
            out["notes"].append("no OutboundEmail table (core_outboundemail): not checked")
        row = conn.execute(
            "SELECT count(*) FROM petitions_signature WHERE verification_due"
        ).fetchone()
        out["confirmations_still_due"] = int(row[0]) if row else 0
        rows = conn.execute("SELECT status, count(*) FROM people_importjob GROUP BY 1").fetchall()
        out["imports_by_status"] = {str(s): int(n) for s, n in rows}
        # An upload never started (its start failed) is no work for the worker.
        out["imports_unfinished"] = sum(int(n) for s, n in rows if s in ("queued", "running"))
    out["stuck"] = (
        out.get("tasks_running", 0)
        + out.get("tasks_ready_due", 0)
        + out.get("outbox_queued_due", 0)
        + out.get("outbox_claimed", 0)
        + out["confirmations_still_due"]
        + out["imports_unfinished"]
    )
    return out


def due_now(db_url: str) -> dict[str, int]:
    """Work due now (to know when the system has settled): ready tasks, outbox rows,
    confirmations, unfinished imports. Tasks stuck RUNNING are not waited for."""
    work = stuck_work(db_url)
    return {
        "tasks_ready_due": work.get("tasks_ready_due", 0),
        "outbox_queued_due": work.get("outbox_queued_due", 0),
        "confirmations_still_due": work["confirmations_still_due"],
        "imports_unfinished": work["imports_unfinished"],
    }


def signatures(db_url: str, petition_id: int, token: str, acked: list[str]) -> dict[str, Any]:
    """Acknowledged emails without a signature row, and what is stored for this run."""
    with psycopg.connect(db_url, autocommit=True, connect_timeout=10) as conn:
        conn.execute("CREATE TEMP TABLE acked (email text PRIMARY KEY)")
        with conn.cursor() as cur, cur.copy("COPY acked (email) FROM STDIN") as copy:
            for email in acked:
                copy.write_row((email,))
        lost = conn.execute(
            "SELECT a.email FROM acked a WHERE NOT EXISTS (SELECT 1 FROM petitions_signature s "
            "WHERE s.petition_id = %s AND s.email_normalized = a.email)",
            [petition_id],
        ).fetchall()
        rows = conn.execute(
            "SELECT email_normalized, state, suspect_reason, cleared_at IS NOT NULL, "
            "extract(epoch FROM created_at), host(ip_address) "
            "FROM petitions_signature WHERE petition_id = %s AND email_normalized LIKE %s",
            [petition_id, f"{token}-%"],
        ).fetchall()
    stored = [str(r[0]) for r in rows]
    return {
        "lost": [str(r[0]) for r in lost],
        "stored": stored,
        "duplicated_rows": len(stored) - len(set(stored)),
        "states": dict(Counter(str(r[1]) for r in rows)),
        "suspect": sorted(str(r[0]) for r in rows if r[2] and not r[3]),
        "suspect_reasons": dict(Counter(str(r[2]) for r in rows if r[2])),
        "suspect_examples": [
            {"email": r[0], "reason": r[2], "created_epoch": float(r[4]), "ip": r[5]}
            for r in rows
            if r[2]
        ][:20],
    }


def mail(
    messages: list[Received],
    *,
    acked: set[str],
    posts: dict[str, int],
    stored: list[str],
    suspect: list[str],
    updates: list[dict[str, Any]],
    organizer: str,
    milestones: int,
    origin: float = 0.0,
    faults: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Messages sent twice and never sent, from what the SMTP sink received."""
    by_id = Counter(m.message_id for m in messages if m.message_id)
    pairs: Counter[tuple[str, str]] = Counter()
    confirmations: Counter[str] = Counter()
    for m in messages:
        for r in m.recipients:
            pairs[(r, m.subject)] += 1
            if m.verify_link:
                confirmations[r] += 1
    same_id_extra = sum(n - 1 for n in by_id.values() if n > 1)
    pair_extra = sum(n - 1 for n in pairs.values() if n > 1)
    # A signer who posted the form again (after a 503 or a cut connection) is sent the
    # confirmation again, up to once per POST: those copies are expected.
    unexplained = 0
    explained = 0
    for (recipient, _subject), n in pairs.items():
        if n < 2:
            continue
        if confirmations.get(recipient, 0) == n and recipient in posts:
            allowed = max(1, posts[recipient])
            unexplained += max(0, n - allowed)
            explained += min(n, allowed) - 1
        else:
            unexplained += n - 1
    no_email = set(suspect)
    want_confirmation = [e for e in stored if e not in no_email]
    never_confirmed = [e for e in want_confirmation if confirmations.get(e, 0) == 0]
    never_acked = [e for e in never_confirmed if e in acked]
    update_missing: dict[str, list[str]] = {}
    for update in updates:
        got = {r for m in messages if m.subject == update["title"] for r in m.recipients}
        missing = sorted(set(update.get("recipients", [])) - got)
        update_missing[update["title"]] = missing
    milestone_subjects = {
        m.subject
        for m in messages
        if organizer in m.recipients and "signatures reached" in m.subject
    }
    missing_milestones = max(0, milestones - len(milestone_subjects))
    update_never = sum(len(v) for v in update_missing.values())
    kinds: Counter[str] = Counter()
    for m in messages:
        if m.verify_link:
            kinds["confirmation"] += 1
        elif any(m.subject == u["title"] for u in updates):
            kinds["update"] += 1
        elif "signatures reached" in m.subject:
            kinds["milestone"] += 1
        elif m.subject.startswith("You have already signed"):
            kinds["already signed"] += 1
        else:
            kinds["other"] += 1
    return {
        "received": len(messages),
        "by_kind": dict(kinds),
        "same_message_id_extra": same_id_extra,
        "sent_twice_examples": _twice(messages, by_id, pairs, origin, faults),
        "same_recipient_subject_extra": pair_extra,
        "same_recipient_subject_explained_by_reposts": explained,
        "same_recipient_subject_unexplained": unexplained,
        "sent_twice": max(same_id_extra, unexplained),
        "confirmation_never_sent_acknowledged": len(never_acked),
        "confirmation_never_sent_stored_not_acknowledged": len(never_confirmed) - len(never_acked),
        "confirmation_never_sent_examples": never_confirmed[:5],
        "update_never_sent": update_never,
        "update_never_sent_by_update": {k: len(v) for k, v in update_missing.items()},
        "update_recipients_expected": sum(len(u.get("recipients", [])) for u in updates),
        "milestones_reached": milestones,
        "milestone_notice_never_sent": missing_milestones,
        "never_sent": len(never_confirmed) + update_never + missing_milestones,
    }


def _twice(
    messages: list[Received],
    by_id: Counter[str],
    pairs: Counter[tuple[str, str]],
    origin: float,
    faults: list[dict[str, Any]] | None,
) -> list[dict[str, Any]]:
    """Up to 10 messages received more than once: when (seconds into the run), and the
    last fault before the last copy (what made it send again, most likely)."""
    out = []
    seen: set[tuple[str, str]] = set()
    for m in messages:
        key = (m.recipients[0] if m.recipients else "", m.subject)
        if key in seen or (by_id[m.message_id] < 2 and pairs[key] < 2):
            continue
        seen.add(key)
        copies = [
            x for x in messages if (x.recipients[:1], x.subject) == (m.recipients[:1], m.subject)
        ]
        times = [round(x.at - origin, 2) for x in copies]
        before = [f for f in faults or [] if f["at"] <= times[-1]]
        out.append(
            {
                "recipient": key[0],
                "subject": m.subject,
                "message_ids": sorted({x.message_id for x in copies}),
                "received_at_s": times,
                "last_fault_before_last_copy": (
                    f"{before[-1]['kind']} at {before[-1]['at']} s" if before else None
                ),
            }
        )
        if len(out) == 10:
            break
    return out


def imports(db_url: str, jobs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each import: finished, every row created once, none lost, none doubled."""
    out = []
    with psycopg.connect(db_url, autocommit=True, connect_timeout=10) as conn:
        for job in jobs:
            result = dict(job)
            row = conn.execute(
                "SELECT status, rows_total, rows_done, created_count, updated_count, "
                "unchanged_count, failed_count, organization_id FROM people_importjob "
                "WHERE id = %s",
                [job["job_id"]],
            ).fetchone()
            assert row is not None
            keys = [
                "status",
                "rows_total",
                "rows_done",
                "created",
                "updated",
                "unchanged",
                "failed",
            ]
            result.update(dict(zip(keys, row[:7], strict=True)))
            people = conn.execute(
                "SELECT count(*), count(DISTINCT lower(email)), count(DISTINCT person_id) "
                "FROM people_supporter WHERE organization_id = %s AND lower(email) LIKE %s",
                [row[7], f"{job['prefix']}-%"],
            ).fetchone()
            assert people is not None
            result["supporters"], result["distinct_emails"], result["persons"] = (
                int(v) for v in people
            )
            expected = job["rows"]
            result["ok"] = (
                result["status"] == "done"
                and result["created"] == expected
                and result["updated"] == 0
                and result["failed"] == 0
                and result["supporters"] == expected
                and result["distinct_emails"] == expected
                and result["persons"] == expected
            )
            out.append(result)
    return out


def milestone_rows(db_url: str, petition_id: int) -> int:
    with psycopg.connect(db_url, autocommit=True, connect_timeout=10) as conn:
        row = conn.execute(
            "SELECT count(*) FROM petitions_milestone WHERE petition_id = %s", [petition_id]
        ).fetchone()
    return int(row[0]) if row else 0
