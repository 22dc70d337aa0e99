"""The People step with and without the Media step, in the same run.

    .venv/bin/python -m benchmarks.media_compare [--media-compare 5]
                                                 [--media-compare-people 1000] [--json]
    .venv/bin/python -m benchmarks.pull ... --media-compare 5   (the same, beside the rest)

2N Full Syncs of one sandbox (in another process), each into a fresh copy of one migrated
SQLite database (so each People step is a first pull) and a fresh media folder, alternately
with the Media step left out and kept, in the order off, on, on, off, off, on, ... (a drift
of the busy machine, or the warm-up of the first runs, falls on both alike). For each: the
People step's local processing (records per second of its wall time minus its time on HTTP,
as the pull benchmark's people_per_s_first), and, with media, the Media step's files per
second of wall time. Figures are the medians: people_per_s_first_without_media,
people_per_s_first_with_media, media_per_s; the spread (lowest, highest) of each People
figure is printed, so a difference can be read against the noise of the same run.
"""
import argparse
import contextlib
import dataclasses
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import redis as redis_lib

from benchmarks.harness import (argument_parser, migrated_app, print_figures,
                                redis_url_or_bundled)

DEFAULT_PEOPLE = 1000
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"


def add_arguments(parser):
    parser.add_argument("--media-compare", type=int, default=0, metavar="N",
                        help="N Full Syncs with the Media step off and N with it on, "
                        "alternating; the People step's medians of each (0: skipped; "
                        "benchmarks/media_compare.py)")
    parser.add_argument("--media-compare-people", type=int, default=DEFAULT_PEOPLE,
                        help="people in the sandbox for --media-compare")


@contextlib.contextmanager
def swapped_kind(value, **changes):
    """The run kind `value` declared with `changes` for the length of a block."""
    from pcosync.services.runs import kinds

    original = kinds.get(value)
    kinds.unregister(value)
    kinds.register(dataclasses.replace(original, **changes))
    try:
        yield original
    finally:
        kinds.unregister(value)
        kinds.register(original)


def timed(run, clock, seen):
    """`run` measured: its wall time and the part of it on HTTP (the pull benchmark's
    clock), into `seen`."""
    def run_and_time(client, progress):
        http_before, started = clock.seconds, time.perf_counter()
        try:
            return run(client, progress)
        finally:
            seen.update(seconds=time.perf_counter() - started,
                        http_seconds=clock.seconds - http_before)
    return run_and_time


def full_sync(media, clock):
    """One Full Sync (its Media step kept or left out): the People step's and the Media
    step's figures."""
    from pcosync.extensions import db
    from pcosync.models import SyncRun
    from pcosync.services.runs import kinds
    from pcosync.services.runs.execute import execute_run
    from pcosync.services.runs.lifecycle import start_run

    people, full = {}, kinds.get(kinds.FULL_SYNC)
    steps = full.steps if media else tuple(s for s in full.steps if s != kinds.MEDIA)
    with swapped_kind(kinds.PEOPLE, run=timed(kinds.get(kinds.PEOPLE).run, clock, people)), \
            swapped_kind(kinds.FULL_SYNC, steps=steps):
        run_id = start_run(kinds.FULL_SYNC, triggered_by="benchmark").id
        execute_run(run_id)
    db.session.expire_all()
    run = db.session.get(SyncRun, run_id)
    by_kind = {step.kind: step for step in run.steps}
    step = by_kind[kinds.PEOPLE]
    records = step.created_count + step.updated_count + step.skipped_count + step.failed_count
    media_step = by_kind.get(kinds.MEDIA)
    return {"media": media, "status": run.status, "people": records,
            "people_per_s": records / max(people["seconds"] - people["http_seconds"], 1e-9),
            "media_files": media_step.created_count if media_step else 0,
            "media_seconds": media_step.duration_seconds if media_step else 0.0}


def measure(people, runs, redis_url):
    """In this process: the sandbox, one migrated template database, 2 x `runs` Full Syncs."""
    from benchmarks.pull import HttpClock, start_sandbox

    clock = HttpClock()
    root = tempfile.mkdtemp(prefix="pcosync-bench-media-")
    redis_url, bundled = redis_url_or_bundled(redis_url, root)
    sandbox, sandbox_url = start_sandbox(people, 0)
    template = os.path.join(root, "template")
    os.makedirs(template)
    try:
        migrated_app(template, redis_url, sandbox_url)
        results = []
        for number in range(2 * runs):
            folder = os.path.join(root, f"run-{number}")
            os.makedirs(folder)
            shutil.copy(os.path.join(template, "bench.db"), os.path.join(folder, "bench.db"))
            app = migrated_app(folder, redis_url, sandbox_url)  # already at head: no work
            with app.app_context():
                redis_lib.Redis.from_url(redis_url).flushdb()
                results.append(full_sync(media=number % 4 in (1, 2), clock=clock))
                from pcosync.extensions import db

                db.session.remove()
                db.engine.dispose()
        return {"people": people, "runs": runs, "results": results}
    finally:
        sandbox.terminate()
        sandbox.wait()
        if bundled is not None:
            bundled.terminate()
        shutil.rmtree(root, ignore_errors=True)


def measure_in_child(people, runs, redis_url):
    command = [sys.executable, "-m", "benchmarks.media_compare", "--child",
               "--media-compare", str(runs), "--media-compare-people", str(people),
               "--redis-url", redis_url]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def compared_figures(result):
    without = [r["people_per_s"] for r in result["results"] if not r["media"]]
    with_media = [r for r in result["results"] if r["media"]]
    people_with = [r["people_per_s"] for r in with_media]
    media = [r["media_files"] / max(r["media_seconds"], 1e-9) for r in with_media]
    return {"people_per_s_first_without_media": round(statistics.median(without)),
            "people_per_s_first_with_media": round(statistics.median(people_with)),
            "media_per_s": round(statistics.median(media)),
            "media_compare_people": result["people"], "media_compare_runs": result["runs"],
            "media_compare_files": with_media[0]["media_files"],
            "media_compare_runs_not_completed": sum(
                r["status"] != "COMPLETED" for r in result["results"])}


def report(result, figures):
    print(f"\nPeople step with and without the Media step, {result['people']:,} people, "
          f"{result['runs']} Full Syncs of each, alternating (SQLite, rate limit off; "
          "local processing: wall time minus HTTP)")
    for label, media in (("without media", False), ("with media", True)):
        rates = sorted(r["people_per_s"] for r in result["results"] if r["media"] == media)
        key = "with_media" if media else "without_media"
        print(f"  People step {label:<14} median {figures[f'people_per_s_first_{key}']:>7,}"
              f" people/s  (lowest {rates[0]:,.0f}, highest {rates[-1]:,.0f})")
    without = figures["people_per_s_first_without_media"]
    change = 100 * (figures["people_per_s_first_with_media"] - without) / max(without, 1)
    print(f"  with / without: {change:+.1f}%;  Media step: {figures['media_compare_files']:,} "
          f"files per run, median {figures['media_per_s']:,} files/s of wall time")


def figures_if_asked(args):
    """What benchmarks.pull adds with --media-compare N (printed, then returned)."""
    if not args.media_compare:
        return {}
    result = measure_in_child(args.media_compare_people, args.media_compare, args.redis_url)
    figures = compared_figures(result)
    report(result, figures)
    return figures


def main():
    parser = argument_parser(__doc__.splitlines()[0])
    add_arguments(parser)
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL",
                                                              DEFAULT_REDIS_URL))
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    args.media_compare = args.media_compare or 5
    if args.child:
        print(json.dumps(measure(args.media_compare_people, args.media_compare,
                                 args.redis_url), default=str))
        return
    print_figures(args, figures_if_asked(args))


if __name__ == "__main__":
    main()
