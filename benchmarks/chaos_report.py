"""The chaos benchmark's table (benchmarks/chaos.py): the figures that must be 0, how
long /healthz took to notice each kind of fault, and what the run did."""

from __future__ import annotations

from typing import Any

KIND_LABELS = {
    "worker": "worker killed (SIGKILL)",
    "app": "app process killed (SIGKILL)",
    "postgres": "PostgreSQL restarted",
    "redis": "Redis stopped",
}


def _n(value: Any) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _notice(kind: str, figures: dict[str, Any]) -> str:
    if kind == "app":
        longest = figures.get("longest_replacement_s")
        text = f"n/a (replaced in {longest:.1f} s at most)" if longest is not None else "n/a"
        if figures.get("not_replaced"):
            text += f"; {figures['not_replaced']} never replaced"
        return text
    longest = figures.get("longest_s")
    parts = []
    if longest is not None:
        parts.append(f"{longest:.1f} s ({figures.get('longest_by')})")
    if figures.get("not_noticed"):
        why = "; ".join(figures.get("why_not", []))
        parts.append(f"{figures['not_noticed']} of {figures['faults']} {why}")
    return ", ".join(parts) or "n/a"


def table(results: dict[str, Any]) -> tuple[str, list[str]]:
    """The printed table, and the names of the must-be-0 figures that are not 0."""
    cfg = results["config"]
    sigs = results["signatures"]
    mail = results["mail"]
    stuck = results["stuck"]
    signing = results["signing"]
    imports = results["imports"]
    rows: list[tuple[str, str, str]] = []
    failed: list[str] = []

    def must(label: str, value: int, note: str = "") -> None:
        verdict = "ok" if value == 0 else "FAIL"
        if value:
            failed.append(label)
        rows.append((label, _n(value), f"must be 0: {verdict}" + (f"  {note}" if note else "")))

    def info(label: str, value: Any, note: str = "") -> None:
        rows.append((label, _n(value), note))

    must(
        "acknowledged signatures lost", sigs["lost"], f"of {signing['acknowledged']:,} acknowledged"
    )
    must("messages sent twice", mail["sent_twice"])
    info("  same Message-ID received again", mail["same_message_id_extra"])
    explained = mail["same_recipient_subject_explained_by_reposts"]
    info(
        "  same recipient and subject again",
        mail["same_recipient_subject_extra"],
        f"{mail['same_recipient_subject_unexplained']} unexplained; {explained} after the "
        "signer posted the form again",
    )
    waiting = stuck.get("outbox_queued_due", 0) + stuck["confirmations_still_due"]
    must(
        "messages never sent",
        mail["never_sent"],
        f"{waiting:,} still waiting to be sent at the end" if waiting else "",
    )
    info("  confirmations, acknowledged signatures", mail["confirmation_never_sent_acknowledged"])
    info(
        "  confirmations, stored not acknowledged",
        mail["confirmation_never_sent_stored_not_acknowledged"],
    )
    info(
        "  update emails",
        mail["update_never_sent"],
        f"of {mail['update_recipients_expected']:,} expected",
    )
    info(
        "  milestone notices",
        mail["milestone_notice_never_sent"],
        f"of {mail['milestones_reached']}",
    )
    must("tasks stuck", stuck["stuck"])
    info(
        "  tasks RUNNING / READY and due",
        f"{stuck.get('tasks_running', 'n/a')} / {stuck.get('tasks_ready_due', 'n/a')}",
        f"{stuck.get('tasks_failed', 0)} FAILED",
    )
    if "outbox_claimed" in stuck:
        info(
            "  outbox queued and due / claimed",
            f"{stuck['outbox_queued_due']} / {stuck['outbox_claimed']}",
            f"{stuck['outbox_failed']} failed of {stuck['outbox_rows']:,}",
        )
    else:
        info("  outbox queued and due / claimed", "n/a", "no OutboundEmail table yet")
    info("  confirmations still due", stuck["confirmations_still_due"])
    info("  imports unfinished", stuck["imports_unfinished"])
    wrong = sum(1 for job in imports if not job.get("ok"))
    detail = "; ".join(
        f"{job.get('status', job.get('error', '?'))} {job.get('created', 0)}/{job['rows']} created"
        for job in imports
    )
    must("imports wrong (rows lost or doubled)", wrong, detail)
    for failed_start in results.get("not_started", []):
        info(f"  a try that failed: {failed_start['what']}", "", failed_start["error"][-90:])
    rows.append(("/healthz: longest time to notice", "", ""))
    for kind, figures in results["healthz"].items():
        label = f"  {KIND_LABELS[kind]} ({figures['faults']}x)"
        rows.append((label, "", _notice(kind, figures)))
    processes = results["processes"]
    info("worker restarts", processes["worker_restarts"])
    info("app processes replaced", processes["app_processes_replaced"])
    info(
        "signatures acknowledged /s",
        signing["acknowledged_per_s"],
        f"{signing['acknowledged']:,} in all",
    )
    info("503 answers (not saved, try again)", signing["answered_503"])
    others = {k: v for k, v in signing["answers"].items() if k not in ("303", "503")}
    info("other answers", sum(others.values()), ", ".join(f"{k}: {v}" for k, v in others.items()))
    info(
        "signers never acknowledged", signing["never_acknowledged"], f"{signing['gave_up']} gave up"
    )
    took = [s["took"] for s in results.get("healthz_samples", []) if "took" in s]
    failed_polls = sum(1 for s in results.get("healthz_samples", []) if s.get("status") is None)
    info(
        "/healthz polls",
        len(took),
        f"slowest {max(took, default=0):.2f} s; {failed_polls} failed or timed out",
    )
    info("signatures confirmed by their link", results["confirming"]["confirmed"])
    info("SMTP connections", mail.get("smtp_connections"))
    info(
        "emails received",
        mail["received"],
        ", ".join(f"{k} {v}" for k, v in mail["by_kind"].items()),
    )
    settle = results["settle"]
    info(
        "settled after the load",
        f"{settle['seconds']} s",
        "" if settle["settled"] else f"NOT settled: {settle['due_at_end']}",
    )

    width = max(len(r[0]) for r in rows)
    vwidth = max(len(r[1]) for r in rows)
    lines = [
        f"Groundswell chaos benchmark, {results['started_at']}, commit {cfg['git_commit']}, "
        f"{cfg['cpus']} CPUs",
        f"{cfg['duration']:g} s at {cfg['rate']:g} signatures/s, seed {cfg['seed']}; "
        f"{cfg['web_concurrency']} app processes, 1 worker",
        "",
    ]
    lines += [f"{a:<{width}}  {b:>{vwidth}}  {c}".rstrip() for a, b, c in rows]
    notes = list(stuck.get("notes") or [])
    changed = results.get("code_changed_during_run") or []
    if changed:
        notes.append(
            f"WARNING: {len(changed)} files under groundswell/ changed during the run (e.g. "
            f"{', '.join(changed[:3])}); processes restarted after that ran other code, "
            "and the database was migrated only at the start"
        )
    if notes:
        lines += ["", *(f"note: {n}" for n in notes)]
    return "\n".join(lines), failed
