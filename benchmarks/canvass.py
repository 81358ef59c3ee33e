"""Canvassing at scale: cutting 50,000 doors into turfs, how much shorter a route is than
nearest-neighbour order, and phones uploading visits at once on PostgreSQL.

    .venv/bin/python benchmarks/canvass.py [--doors 50000] [--turfs 200] [--phones 200]

Works on its own database (BENCH_CANVASS_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/bench_canvass), never DATABASE_URL; it is recreated
and migrated on every run. It imports the shipped ward map, adds N doors at random
points inside the wards (one in eight a building of two or three units), then:

1. times the cutting alone (groundswell.canvass.cutting.cut on the doors as values) and
   the whole action (actions.cut_turfs: reading the doors, cutting, walk order by street,
   writing every door's turf and place), and prints the spread of turf sizes per ward;
2. on --route-turfs turfs, orders the doors by route (nearest neighbour then 2-opt) and
   prints how much shorter it is than the nearest-neighbour order, and the order by
   street and side;
3. gives one code per phone (one turf each), starts the production app server
   (`manage.py serve`, granian) and has --phones threads upload at once, each its turf's
   visits in batches of --batch, then the same visits again (a replay); prints visits
   acknowledged per second for the first pass and the replay, the latency of a batch
   (median, 95th percentile), and checks the database holds each visit exactly once.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import resource
import secrets
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_canvass"
WARDS_FILE = REPO / "groundswell" / "districts" / "data" / "chicago-wards-2023.geojson"


def database_url() -> str:
    return os.environ.get("BENCH_CANVASS_DATABASE_URL") or DEFAULT_URL


def configure(secret: str) -> None:
    os.environ["DATABASE_URL"] = database_url()
    os.environ["DEBUG"] = "false"
    os.environ["GEOCODER_URL"] = ""
    os.environ["SECRET_KEY"] = secret
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.pop("GROUNDSWELL_TESTING", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "groundswell.settings")
    sys.path.insert(0, str(REPO))
    os.chdir(REPO)


def recreate_database() -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url())
    name = sql.Identifier(parts.path.lstrip("/"))
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


def setup(doors: int, seed: int) -> tuple[Any, Any]:
    import shapely
    from django.core.management import call_command

    from groundswell.accounts.models import User
    from groundswell.canvass import actions
    from groundswell.districts import actions as district_actions
    from groundswell.districts.models import District
    from groundswell.organizations.models import Membership, Organization, Role

    call_command("migrate", "--noinput", verbosity=0)
    district_set = district_actions.import_districts(WARDS_FILE, "chicago-wards-2023").district_set
    organization = Organization.objects.create(name="Action Now", slug="action-now")
    user = User.objects.create_user("maria@actionnow.example", secrets.token_urlsafe(20))
    membership = Membership.objects.create(user=user, organization=organization, role=Role.OWNER)
    canvass = actions.create_canvass(membership, name="Bench", slug="bench")
    actions.set_script(
        membership,
        canvass,
        [
            actions.QuestionSpec("scale", "How do you rate the administration?"),
            actions.QuestionSpec("single", "Will you vote?", ["Yes", "No", "Not sure"]),
        ],
    )
    rng = random.Random(seed)
    shapes = [d.geometry for d in District.objects.filter(set=district_set)]
    entries = []
    while len(entries) < doors:
        shape = rng.choice(shapes)
        west, south, east, north = shape.bounds
        lon, lat = rng.uniform(west, east), rng.uniform(south, north)
        if not shapely.intersects_xy(shape, lon, lat):
            continue
        number = len(entries) * 2 + rng.choice((0, 1))
        street = f"W {int((41.9 - lat) * 300)}th St"
        units = 1 if rng.random() < 7 / 8 else rng.choice((2, 3))
        for unit in range(units):
            suffix = f" Apt {unit + 1}" if units > 1 else ""
            entries.append(actions.DoorEntry(f"{number} {street}{suffix}", lat, lon))
    started = time.perf_counter()
    actions.add_doors(canvass, entries[:doors])
    print(f"universe: {doors:,} doors added in {time.perf_counter() - started:.1f} s")
    return membership, canvass


def cut(membership: Any, canvass: Any, turfs: int) -> None:
    from groundswell.canvass import actions, cutting
    from groundswell.canvass.models import Door, Turf

    spots = [
        cutting.Spot(pk, building, lat, lon, ward)
        for pk, building, lat, lon, ward in Door.objects.filter(canvass=canvass).values_list(
            "pk", "building", "lat", "lon", "ward"
        )
    ]
    started = time.perf_counter()
    runs = cutting.cut(spots, turfs)
    alone = time.perf_counter() - started
    started = time.perf_counter()
    actions.cut_turfs(membership, canvass, turfs)
    whole = time.perf_counter() - started
    print(f"turf cutting, {len(spots):,} doors into {len(runs)} turfs:")
    print(f"  cutting alone (values in memory): {alone:.2f} s")
    print(f"  actions.cut_turfs (read, cut, walk order, write): {whole:.2f} s")
    worst = 0.0
    by_ward: dict[int | None, list[int]] = {}
    for turf in Turf.objects.filter(canvass=canvass):
        by_ward.setdefault(turf.ward_id, []).append(turf.doors.count())
    for sizes in by_ward.values():
        mean = sum(sizes) / len(sizes)
        worst = max(worst, max(abs(s - mean) / mean for s in sizes))
    all_sizes = [s for sizes in by_ward.values() for s in sizes]
    print(
        f"  turf sizes: {min(all_sizes)}–{max(all_sizes)} doors; "
        f"largest gap from its ward's mean {worst:.1%} (target ±10%)"
    )


def routes(canvass: Any, count: int) -> None:
    from groundswell.canvass import walk
    from groundswell.canvass.models import Door, Turf

    ratios, street_ratios = [], []
    for turf in Turf.objects.filter(canvass=canvass).order_by("number")[:count]:
        stops = [
            walk.Stop(d.pk, d.building, d.street, d.house_number, d.unit, d.lat, d.lon)
            for d in Door.objects.filter(turf=turf)
        ]
        route = walk.by_route(stops)
        ratios.append(1 - route.metres / route.nearest_neighbour_metres)
        by_id = {s.id: s for s in stops}
        seen: list[tuple[float, float]] = []
        for door_id in walk.by_street(stops):
            point = (by_id[door_id].lat, by_id[door_id].lon)
            if not seen or seen[-1] != point:
                seen.append(point)
        street_ratios.append(walk.length(seen) / route.nearest_neighbour_metres - 1)
    print(f"walk order on {len(ratios)} turfs (buildings at random points in their ward):")
    print(
        f"  route (nearest neighbour + 2-opt) is {statistics.mean(ratios):.1%} shorter than "
        f"nearest-neighbour order (min {min(ratios):.1%}, max {max(ratios):.1%})"
    )
    print(
        f"  order by street and side is {statistics.mean(street_ratios):.0%} longer than "
        "nearest-neighbour here (random points are not real streets)"
    )


def codes(membership: Any, canvass: Any, phones: int) -> list[tuple[str, list[int]]]:
    from groundswell.canvass import actions
    from groundswell.canvass.models import Door, Turf

    given = []
    for turf in Turf.objects.filter(canvass=canvass).order_by("number")[:phones]:
        _canvasser, code = actions.issue_code(
            membership, canvass, name=f"Phone {turf.number}", turf=turf
        )
        given.append((code, list(Door.objects.filter(turf=turf).values_list("pk", flat=True))))
    return given


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "WEB_BIND": f"127.0.0.1:{port}", "ALLOWED_HOSTS": "127.0.0.1"}
    server = subprocess.Popen([sys.executable, "manage.py", "serve"], env=env, cwd=REPO)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/app", timeout=2):
                return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("the app server did not start")


def upload(
    port: int, code: str, visits: list[dict[str, Any]], batch: int, latencies: list[float]
) -> int:
    acknowledged = 0
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    for start in range(0, len(visits), batch):
        body = json.dumps({"visits": visits[start : start + batch]})
        for _attempt in range(5):
            began = time.perf_counter()
            try:
                connection.request(
                    "POST",
                    "/canvass/api/visits",
                    body=body,
                    headers={"Content-Type": "application/json", "X-Canvass-Code": code},
                )
                response = connection.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                time.sleep(0.2)
                continue
            latencies.append(time.perf_counter() - began)
            if response.status == 200:
                acknowledged += len(json.loads(data)["acknowledged"])
                break
            time.sleep(0.2)  # a busy server (503): as the phone does, try again later
    connection.close()
    return acknowledged


def phones_at_once(port: int, given: list[tuple[str, list[int]]], batch: int) -> None:
    from groundswell.canvass.models import Visit

    plans = []
    for code, doors in given:
        plans.append(
            (
                code,
                [
                    {
                        "id": str(uuid.uuid4()),
                        "door": door,
                        "result": random.choice(["contacted", "not_home", "refused"]),
                        "at": "2026-12-07T17:00:00+00:00",
                    }
                    for door in doors
                ],
            )
        )
    total = sum(len(v) for _c, v in plans)
    for label in ("first upload", "replay of the same visits"):
        latencies: list[float] = []
        counts = [0] * len(plans)

        def run(i: int) -> None:
            counts[i] = upload(port, plans[i][0], plans[i][1], batch, latencies)  # noqa: B023

        threads = [threading.Thread(target=run, args=(i,)) for i in range(len(plans))]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        took = time.perf_counter() - started
        latencies.sort()
        print(
            f"{label}: {len(plans)} phones, {sum(counts):,} of {total:,} visits acknowledged in "
            f"{took:.1f} s = {sum(counts) / took:,.0f} visits/s; batch of {batch}: median "
            f"{statistics.median(latencies) * 1000:.0f} ms, p95 "
            f"{latencies[int(len(latencies) * 0.95)] * 1000:.0f} ms"
        )
    stored = Visit.objects.count()
    distinct = Visit.objects.values("client_id").distinct().count()
    print(f"visits stored: {stored:,} (each exactly once: {stored == distinct == total})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--doors", type=int, default=50_000)
    parser.add_argument("--turfs", type=int, default=200)
    parser.add_argument("--phones", type=int, default=200)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--route-turfs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    configure(secrets.token_urlsafe(48))
    recreate_database()
    import django

    django.setup()
    membership, canvass = setup(args.doors, args.seed)
    cut(membership, canvass, args.turfs)
    routes(canvass, args.route_turfs)
    given = codes(membership, canvass, args.phones)
    port = free_port()
    server = start_server(port)
    try:
        phones_at_once(port, given, args.batch)
    finally:
        server.terminate()
        server.wait(timeout=30)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"benchmark process peak memory: {peak:.0f} MB")


if __name__ == "__main__":
    main()
