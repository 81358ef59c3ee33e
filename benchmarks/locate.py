"""How fast a point finds its ward: groundswell.districts.locate on the 50 Chicago wards.

    .venv/bin/python benchmarks/locate.py [--points 100000] [--threads 2] [--seed 7]

Works on its own SQLite database (var/bench-locate/locate.sqlite3, recreated on every
run), never DATABASE_URL: migrates it, imports groundswell/districts/data/
chicago-wards-2023.geojson as `make demo` does, then draws random points uniformly over
Chicago's bounding box (about 41% fall in a ward: the box also holds suburbs and the
lake) and times:

- building the index (the first lookup in a process);
- locate(lat, lon), one call per point, as the endpoint and a worker call it: points/s,
  p50 and p99 per lookup;
- the same from several threads at once (shapely releases the GIL inside GEOS);
- locate_many(points), one batch: points/s;
- the database path without the index (District.objects.around, the bounding-box
  columns, then a shapely test of each candidate) on a sample, for comparison;

and the process's memory (resident set) before and after the index is built. Checks
that every way gives the same district for every point.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import sys
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
WORK = REPO / "var" / "bench-locate"
WARDS = REPO / "groundswell" / "districts" / "data" / "chicago-wards-2023.geojson"


def configure() -> None:
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'locate.sqlite3'}"
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.pop("GROUNDSWELL_TESTING", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "groundswell.settings"
    sys.path.insert(0, str(REPO))
    os.chdir(REPO)


def rss_mb() -> float:
    """The resident set now, in MB (Linux)."""
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def percentile(sorted_values: list[int], fraction: float) -> int:
    return sorted_values[min(len(sorted_values) - 1, int(fraction * len(sorted_values)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--database-sample", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    configure()
    import django

    django.setup()
    from django.core.management import call_command

    from groundswell.districts import actions
    from groundswell.districts.locate import index, locate, locate_many, map_version
    from groundswell.districts.models import District

    call_command("migrate", verbosity=0)
    actions.import_districts(
        WARDS, "chicago-wards-2023", name="Chicago wards (2023–)", valid_from=None
    )
    boxes = District.objects.values_list("min_lon", "min_lat", "max_lon", "max_lat")
    west = min(b[0] for b in boxes)
    south = min(b[1] for b in boxes)
    east = max(b[2] for b in boxes)
    north = max(b[3] for b in boxes)
    rng = random.Random(args.seed)
    points = [(rng.uniform(south, north), rng.uniform(west, east)) for _ in range(args.points)]

    print(f"== {len(points):,} random points over {south:.4f},{west:.4f} .. {north:.4f},{east:.4f}")
    print(f"   Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    before = rss_mb()
    started = time.perf_counter()
    version = map_version()
    assert version is not None
    index(version)
    built = time.perf_counter() - started
    after = rss_mb()
    print(
        f"index build: {built * 1000:.1f} ms; resident memory {before:.1f} MB -> {after:.1f} MB "
        f"(+{after - before:.1f} MB for the index)"
    )

    # One call per point, as a request or a worker makes them.
    timings = []
    single = []
    clock = time.perf_counter_ns
    started = time.perf_counter()
    for lat, lon in points:
        t0 = clock()
        single.append(locate(lat, lon))
        timings.append(clock() - t0)
    elapsed = time.perf_counter() - started
    timings.sort()
    inside = sum(found is not None for found in single)
    print(
        f"locate(), one at a time: {len(points) / elapsed:,.0f} points/s; "
        f"p50 {percentile(timings, 0.50) / 1000:.1f} µs, "
        f"p99 {percentile(timings, 0.99) / 1000:.1f} µs, "
        f"max {timings[-1] / 1000:.0f} µs; {inside:,} in a ward ({inside / len(points):.0%})"
    )

    # The same from several threads.
    if args.threads > 1:
        chunks = [points[i :: args.threads] for i in range(args.threads)]
        results: list[list[object]] = [[] for _ in chunks]

        def run(n: int) -> None:
            results[n] = [locate(lat, lon) for lat, lon in chunks[n]]

        threads = [threading.Thread(target=run, args=(n,)) for n in range(args.threads)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        for n, chunk_results in enumerate(results):
            assert chunk_results == single[n :: args.threads], "threads disagree"
        print(f"locate(), {args.threads} threads: {len(points) / elapsed:,.0f} points/s")

    # One batch.
    started = time.perf_counter()
    batch = locate_many(points)
    elapsed = time.perf_counter() - started
    assert batch == single, "locate_many disagrees with locate"
    print(
        f"locate_many(), one batch: {len(points) / elapsed:,.0f} points/s ({elapsed * 1000:.0f} ms)"
    )

    # The database's bounding boxes and no index, on a sample.
    sample = points[: args.database_sample]
    started = time.perf_counter()
    for (lat, lon), expected in zip(sample, single, strict=False):
        holders = [
            d
            for d in District.objects.filter(set_id=version.id).around(lat, lon)
            if d.covers(lat, lon)
        ]
        found = min(holders, key=lambda d: (d.number, d.division_id)) if holders else None
        assert (found.pk if found else None) == (expected.id if expected else None)
    elapsed = time.perf_counter() - started
    print(
        f"database boxes + shapely, no index ({len(sample):,} points): "
        f"{len(sample) / elapsed:,.0f} points/s"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory: {peak:.0f} MB")
    print(f"(mean of single lookups: {statistics.fmean(timings) / 1000:.1f} µs)")


if __name__ == "__main__":
    main()
