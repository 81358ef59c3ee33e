"""When the chaos benchmark's faults land and its updates and imports start, drawn
from --seed (benchmarks/chaos.py)."""

from __future__ import annotations

import argparse
import random
from typing import Any


def plan_faults(args: argparse.Namespace) -> list[dict[str, Any]]:
    """When each fault lands, drawn from --seed: the PostgreSQL restart and the Redis
    outage apart from each other (40 s if the run allows), PostgreSQL not in the last
    2 minutes (the last 40% of a run shorter than 5 minutes)."""
    rng = random.Random(args.seed)
    d = args.duration
    faults: list[dict[str, Any]] = []
    pg_end = d - 120 if d >= 300 else d * 0.6
    best: tuple[float, float, float] | None = None
    for _ in range(200):
        pg = rng.uniform(d * 0.25, pg_end)
        redis = rng.uniform(d * 0.1, max(d * 0.1, d - args.redis_down - d * 0.1))
        gap = min(abs(pg - redis), abs(pg - (redis + args.redis_down)))
        if redis <= pg <= redis + args.redis_down:
            gap = 0.0
        if best is None or gap > best[2]:
            best = (pg, redis, gap)
        if gap >= 40:
            break
    assert best is not None
    if args.postgres_restarts:
        pg = {"kind": "postgres", "at": round(best[0], 1), "mode": args.pg_restart_mode}
        faults.append(pg | {"down_s": args.pg_down})
    if args.redis_down > 0:
        faults.append({"kind": "redis", "at": round(best[1], 1), "down_s": args.redis_down})
    # Kills keep `pad` seconds from every other fault (and out of the outages) where
    # the run leaves room, so each fault's signs on /healthz are its own.
    pad = min(10.0, d / 12)
    busy = [(f["at"] - pad, f["at"] + f.get("down_s", 0) + pad) for f in faults]

    def clear(t: float) -> float:
        moved = True
        while moved:
            moved = False
            for start, end in busy:
                if start <= t < end:
                    t, moved = end, True
        return t

    def add(kind: str, t: float) -> None:
        faults.append({"kind": kind, "at": round(t, 1)})
        busy.append((t - pad, t + pad))

    t = rng.uniform(min(15.0, d * 0.2), min(40.0, d * 0.4))
    while (t := clear(t)) < d - 15:
        add("worker", t)
        t += rng.uniform(args.worker_kill_min, args.worker_kill_max)
    app_kills = args.app_kills if args.app_kills >= 0 else max(1, round(d / 120))
    for _ in range(app_kills):
        t = clear(rng.uniform(10, max(11, d - 15)))
        if t < d - 10:
            add("app", t)
    # A short run may leave no room: every kind of kill still happens at least once.
    for kind, wanted in (("worker", 1), ("app", min(1, app_kills))):
        if wanted and not any(f["kind"] == kind for f in faults):
            tries = [rng.uniform(d * 0.2, d * 0.8) for _ in range(50)]
            add(kind, max(tries, key=lambda t: min(abs(t - f["at"]) for f in faults)))
    return sorted(faults, key=lambda f: f["at"])


def plan_work(args: argparse.Namespace) -> list[tuple[float, str]]:
    """When updates are posted and imports started."""
    d = args.duration
    work: list[tuple[float, str]] = []
    t = min(args.update_every / 2, d / 3)
    while args.update_every > 0 and t < d - 10:
        work.append((round(t, 1), "update"))
        t += args.update_every
    for k in range(args.imports):
        work.append((round(d * (k + 1) / (args.imports + 1), 1), "import"))
    return sorted(work)
