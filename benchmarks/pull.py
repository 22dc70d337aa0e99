"""Pull benchmark: Full Sync of generated people, households and groups from the sandbox.

    .venv/bin/python -m benchmarks.pull [--sizes 2500,10000] [--paced-people N] [--media-compare N]
                                        [--quick-people N] [--no-naive] [--json]
                                        [--database-url postgresql+psycopg://...]

Each size runs in a fresh process (so its peak memory is its own) against a sandbox in another
process (so the two do not share one interpreter), on a new SQLite database. Rate limit off:
per step, wall time, records/s, the time pcosync itself spends (wall time minus the time the
run's thread waits on PCO: its own requests, and the pages whose request was sent ahead) and
people/s on that, requests made vs the minimum (ceil(N/100) per listing, one listing
per group for its memberships, one request per choice list: People's 6 lists, the custom
fields' tabs and definitions, Groups' tag groups and each one's tags), and peak RSS.
`--database-url`: the largest of --sizes again into PostgreSQL; its figures prefixed pg_.
Rate limit on (PCO's 100 requests / 20 s): the Full Sync's wall time (without its Media step,
no API request) vs the floor the limit imposes (100 requests per 20 s window).
"again" is People pulled a second time, every record unchanged (Skipped).
Naive baseline (benchmarks/naive.py, on the first of --sizes; --no-naive skips it): People
synced the way a script on pypco's defaults would, beside pcosync's Sync People.
Quick Sync (--quick-people, 20,000 by default): the scenarios of benchmarks/quick_sync.py
(nothing changed, 50 changed, a crash mid-run and its re-run) after a Sync People.
Targets: 5,000 people/s of local processing, requests within 5% of the minimum, flat memory.
Media: files per second of wall time of the Media step (media_per_s).
`--json`: the last line is one JSON object of named figures: people_per_s_first,
people_per_s_unchanged, families_per_s and groups_records_per_s are local processing (wall time
minus HTTP); requests and peak_rss_mib the Full Sync steps'; unsuffixed figures are the largest
of --sizes, each size's repeated with `_<size>` on the end.
"""
import argparse
import contextlib
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time

import redis as redis_lib
import requests

from benchmarks import media_compare, naive, quick_sync
from benchmarks.harness import (argument_parser, drop_database, free_port, fresh_database,
                                migrated_app, print_figures, redis_url_or_bundled, wait_for)

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"
STEPS = ("People", "Families", "Groups")
PCO_LIMIT, PCO_PERIOD = 100, 20


class HttpClock:
    """Time the run's own thread spends waiting on PCO: inside requests.Session.send (the round
    trip and reading the body), or waiting for a page whose request was sent ahead
    (pcosync/pco/prefetch.py: the thread's own time on HTTP overlaps the work, so it is not
    counted)."""

    def __init__(self):
        from pcosync.pco import client, prefetch

        self.seconds = 0.0
        original_send, original_wait = requests.Session.send, prefetch.wait

        def timed_send(session, request, **kwargs):
            if threading.current_thread() is not threading.main_thread():
                return original_send(session, request, **kwargs)
            started = time.perf_counter()
            try:
                return original_send(session, request, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started

        def timed_wait(future):
            started = time.perf_counter()
            try:
                return original_wait(future)
            finally:
                self.seconds += time.perf_counter() - started

        # prefetch.wait as well: pco/stamp_paging.py reads it from there.
        requests.Session.send, client.wait = timed_send, timed_wait
        prefetch.wait = timed_wait


def start_sandbox(people, rate_limit):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "pco_sandbox", "--port", str(port), "--people", str(people),
         "--rate-limit", str(rate_limit), "--rate-period", str(PCO_PERIOD)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_for(url + "/sandbox/health", timeout=120)
    return process, url


# Sync People reads PCO's choice lists once per run (marital statuses, inactive reasons, name
# prefixes, name suffixes, school options, campuses: each fits one page); Sync Groups reads the
# tag groups, then each one's tags (Groups has no list of all tags).
CHOICE_LISTS = 6


def minimum_requests(sandbox_url):
    """What a perfect pull of the sandbox's data costs: ceil(N/100) per listing, plus one
    request per choice list."""
    data = requests.get(sandbox_url + "/sandbox/dump", timeout=120).json()
    pages = lambda count: max(1, math.ceil(count / 100))  # noqa: E731 (an empty list is a page)
    # The custom fields: the tabs, then the definitions with their options included.
    custom_fields = sum(pages(len(data[name])) for name in ("tabs", "field_definitions")
                        if name in data)
    return {
        "People": pages(data["counts"]["people"]) + CHOICE_LISTS + custom_fields,
        "Families": pages(data["counts"]["households"]),
        "Groups": pages(len(data["groups"])) + sum(pages(len(group["memberships"]))
                                                   for group in data["groups"])
        + 1 + data["counts"]["tag_groups"],
    }


def sandbox_requests(sandbox_url, reset=False):
    if reset:
        requests.post(sandbox_url + "/sandbox/stats/reset", timeout=10).raise_for_status()
        return None
    return requests.get(sandbox_url + "/sandbox/stats", timeout=10).json()


def run_step(kind, sandbox_url, clock):
    from pcosync.extensions import db
    from pcosync.models import SyncRun
    from pcosync.services.runs.execute import execute_run
    from pcosync.services.runs.lifecycle import start_run

    sandbox_requests(sandbox_url, reset=True)
    http_before = clock.seconds
    started = time.perf_counter()
    run_id = start_run(kind, triggered_by="benchmark").id
    execute_run(run_id)
    seconds = time.perf_counter() - started
    db.session.expire_all()
    run = db.session.get(SyncRun, run_id)
    # A Full Sync's Media step downloads files, no API request: the paced figures leave it out.
    media_seconds = sum(step.duration_seconds for step in run.steps if step.kind == "Media")
    seconds -= media_seconds
    stats = sandbox_requests(sandbox_url)
    return {"kind": kind, "status": run.status, "seconds": seconds,
            "media_seconds": media_seconds,
            "http_seconds": clock.seconds - http_before, "requests": stats["total"],
            "over_limit": stats["over_limit"], "refused": stats["by_status"].get("429", 0),
            "past_deep_offset": stats.get("past_deep_offset", 0),
            "records": run.created_count + run.updated_count + run.skipped_count
            + run.failed_count, "created": run.created_count, "failed": run.failed_count}


def measure(people, rate_limit, redis_url, with_naive=False, database_url=None):
    """One size in this process: the sandbox, a new database (SQLite, or a new database on the
    PostgreSQL server `database_url` names), the steps (or one Full Sync), then,
    `with_naive`, the naive baseline against the same sandbox."""
    clock = HttpClock()
    folder = tempfile.mkdtemp(prefix="pcosync-bench-")
    redis_url, bundled = redis_url_or_bundled(redis_url, folder)
    sandbox, sandbox_url = start_sandbox(people, rate_limit)
    database_url = fresh_database(database_url) if database_url else None
    try:
        app = migrated_app(folder, redis_url, sandbox_url, database_url)
        with app.app_context():
            redis_lib.Redis.from_url(redis_url).flushdb()
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            # Unpaced: each step, then People again (nothing changed: every record Skipped),
            # then the Media step (photos and files downloaded from the sandbox's file hosts).
            kinds = ("Full Sync",) if rate_limit else STEPS + ("People", "Media")
            steps = [run_step(kind, sandbox_url, clock) for kind in kinds]
            rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            # After the peak is read: the sandbox's whole dump is larger than any pull.
            result = {"people": people, "rate_limit": rate_limit, "steps": steps,
                      "minimum": minimum_requests(sandbox_url), "rss_before_kib": rss_before,
                      "rss_peak_kib": rss_peak}
        if with_naive:
            result["naive"] = naive.run(
                sandbox_url, lambda: sandbox_requests(sandbox_url, reset=True),
                lambda: sandbox_requests(sandbox_url))
        return result
    finally:
        sandbox.terminate()
        sandbox.wait()
        if bundled is not None:
            bundled.terminate()
        if database_url:
            from pcosync.extensions import db

            with app.app_context():
                db.session.remove()
                db.engine.dispose()
            drop_database(database_url)


def measure_in_child(people, rate_limit, redis_url, mode="--child", with_naive=False,
                     database_url=None):
    command = [sys.executable, "-m", "benchmarks.pull", mode, str(people),
               "--rate-limit", str(rate_limit), "--redis-url", redis_url]
    if with_naive:
        command.append("--naive-child")
    if database_url:
        command += ["--database-url", database_url]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


@contextlib.contextmanager
def app_on_sandbox(people, redis_url):
    """An app here on a new SQLite database, a sandbox of `people` in another process."""
    folder = tempfile.mkdtemp(prefix="pcosync-bench-")
    redis_url, bundled = redis_url_or_bundled(redis_url, folder)
    sandbox, sandbox_url = start_sandbox(people, 0)
    try:
        app = migrated_app(folder, redis_url, sandbox_url)
        with app.app_context():
            redis_lib.Redis.from_url(redis_url).flushdb()
            yield sandbox_url, HttpClock()
    finally:
        sandbox.terminate()
        sandbox.wait()
        if bundled is not None:
            bundled.terminate()


def measure_quick(people, redis_url):
    with app_on_sandbox(people, redis_url) as (sandbox_url, clock):
        return quick_sync.quick_scenarios(people, sandbox_url, clock)


def local_rate(step):
    """Records per second of pcosync's own processing (wall time minus time on HTTP)."""
    return round(step["records"] / max(step["seconds"] - step["http_seconds"], 1e-9))


def unpaced_figures(result):
    """One size's figures, unsuffixed (the caller adds `_<size>`)."""
    people, families, groups, again, media = result["steps"]
    full_sync = result["steps"][:len(STEPS)]
    return {"media_per_s": round(media["created"] / max(media["seconds"], 1e-9)),
            "media_files": media["created"],
            "people_per_s_first": local_rate(people),
            "people_per_s_unchanged": local_rate(again),
            "families_per_s": local_rate(families),
            "groups_records_per_s": local_rate(groups),
            "people_seconds_first": round(people["seconds"], 3),
            "full_sync_seconds": round(sum(step["seconds"] for step in full_sync), 3),
            "requests": sum(step["requests"] for step in full_sync),
            # Requests at an offset past 30,000 (PCO's stricter share): People and Households
            # page by created_at, so only Groups' listings could.
            "requests_past_deep_offset": sum(step["past_deep_offset"] for step in full_sync),
            "requests_minimum": sum(result["minimum"].values()),
            "peak_rss_mib": round(result["rss_peak_kib"] / 1024, 1),
            "rss_growth_mib": round((result["rss_peak_kib"] - result["rss_before_kib"]) / 1024, 1)}


def naive_figures(result):
    """The naive script vs pcosync's Sync People (the first pull), same sandbox."""
    ours, theirs = result["steps"][0], result["naive"]
    return {"naive_people": theirs["people"], "naive_requests": theirs["requests"],
            "naive_seconds": round(theirs["seconds"], 3),
            "pcosync_people_requests": ours["requests"],
            "pcosync_people_seconds": round(ours["seconds"], 3),
            "naive_requests_ratio": round(theirs["requests"] / max(ours["requests"], 1), 1),
            "naive_seconds_ratio": round(theirs["seconds"] / max(ours["seconds"], 1e-9), 1)}


def report_naive(result):
    ours, theirs = result["steps"][0], result["naive"]
    print(f"\nNaive baseline, {theirs['people']:,} people, same sandbox, rate limit off "
          f"(pypco's defaults: 25 per page, no include, emails / phone numbers / addresses "
          f"one request per person each, a commit per record into SQLite)")
    print(f"  {'':<26}{'requests':>10}{'wall s':>9}")
    print(f"  {'pcosync Sync People':<26}{ours['requests']:>10,}{ours['seconds']:>9.2f}")
    print(f"  {'naive script':<26}{theirs['requests']:>10,}{theirs['seconds']:>9.2f}"
          f"  ({theirs['records']:,} records written)")
    print(f"  naive / pcosync: {theirs['requests'] / max(ours['requests'], 1):.1f}x the "
          f"requests, {theirs['seconds'] / max(ours['seconds'], 1e-9):.1f}x the wall time")


def paced_figures(result):
    step = result["steps"][0]
    floor = paced_floor(step)
    return {"paced_people": result["people"], "paced_seconds": round(step["seconds"], 1),
            "paced_requests": step["requests"], "paced_floor_seconds": floor,
            "paced_ratio": paced_ratio(step),
            "paced_refused": step["refused"],
            "paced_requests_past_deep_offset": step["past_deep_offset"]}


def paced_floor(step):
    """A window of 100 requests per 20 s: request 101 waits for the window opened by
    request 1."""
    return (step["requests"] - 1) // PCO_LIMIT * PCO_PERIOD


def paced_ratio(step):
    """Wall time / the limit's floor; None when the run fits one window (a floor of 0 s)."""
    floor = paced_floor(step)
    return round(step["seconds"] / floor, 2) if floor else None


def report_unpaced(result, database="SQLite"):
    people = result["people"]
    print(f"\n{people:,} people into {database}, rate limit off "
          f"(peak RSS {result['rss_peak_kib'] / 1024:.0f} MiB, "
          f"{(result['rss_peak_kib'] - result['rss_before_kib']) / 1024:.0f} MiB "
          "more than before the pull)")
    print(f"  {'step':<9}{'records':>9}{'wall s':>8}{'rec/s':>8}{'local s':>9}"
          f"{'local rec/s':>13}{'requests':>10}{'minimum':>9}")
    for number, step in enumerate(result["steps"]):
        local = max(step["seconds"] - step["http_seconds"], 1e-9)
        name = "again" if number == len(STEPS) else step["kind"]
        print(f"  {name:<9}{step['records']:>9,}{step['seconds']:>8.2f}"
              f"{step['records'] / step['seconds']:>8,.0f}{local:>9.2f}"
              f"{step['records'] / local:>13,.0f}{step['requests']:>10}"
              f"{result['minimum'].get(step['kind'], 0):>9}  {step['status']}, "
              f"failed {step['failed']}")
    total = sum(step["requests"] for step in result["steps"][:len(STEPS)])
    floor = sum(result["minimum"].values())
    print(f"  requests {total} vs minimum {floor} ({100 * (total - floor) / floor:+.1f}%)")
    media = result["steps"][-1]
    print(f"  media: {media['created']:,} photos and files downloaded and stored in "
          f"{media['seconds']:.2f} s ({media['created'] / max(media['seconds'], 1e-9):,.0f}/s, "
          "wall time: the downloads are the work)")


def report_paced(result):
    step = result["steps"][0]
    floor, ratio = paced_floor(step), paced_ratio(step)
    print(f"\n{result['people']:,} people, PCO's limit on ({PCO_LIMIT} per {PCO_PERIOD} s): "
          f"Full Sync {step['status']} in {step['seconds']:.1f} s, {step['requests']} requests; "
          f"the limit's floor {floor:.1f} s "
          f"({f'{ratio:.2f}x' if ratio else 'one window: no floor'}); "
          f"refused (429) {step['refused']}, over the limit {step['over_limit']}")


def parse_args():
    parser = argument_parser(__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2500,10000",
                        help="people counts for the unpaced runs, comma-separated")
    parser.add_argument("--paced-people", type=int, default=20000,
                        help="people for the run with the rate limit on (0 skips it)")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL))
    parser.add_argument("--quick-people", type=int, default=20000,
                        help="people in PCO for the Quick Sync figures (0 skips them)")
    parser.add_argument("--no-naive", action="store_true",
                        help="skip the naive baseline (run on the first of --sizes)")
    parser.add_argument("--database-url",
                        help="a PostgreSQL server (postgresql+psycopg://...): the largest of "
                        "--sizes again, into a new database made there (figures pg_*)")
    media_compare.add_arguments(parser)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--naive-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--quick-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--rate-limit", type=int, default=0, help=argparse.SUPPRESS)
    return parser.parse_args()


def main():
    args = parse_args()
    if args.child or args.quick_child:
        result = (measure(args.child, args.rate_limit, args.redis_url, args.naive_child,
                          args.database_url)
                  if args.child else measure_quick(args.quick_child, args.redis_url))
        print(json.dumps(result, default=str))
        return
    print("Pull benchmark: Full Sync steps from the sandbox into a new SQLite database.")
    figures = {}
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    for number, people in enumerate(sizes):
        with_naive = number == 0 and not args.no_naive
        result = measure_in_child(people, 0, args.redis_url, with_naive=with_naive)
        report_unpaced(result)
        size_figures = unpaced_figures(result)
        figures.update({f"{name}_{people}": value for name, value in size_figures.items()})
        if people == max(sizes):
            figures.update(size_figures, people=people)
        if with_naive:
            report_naive(result)
            figures.update(naive_figures(result))
    if args.database_url and sizes:
        result = measure_in_child(max(sizes), 0, args.redis_url,
                                  database_url=args.database_url)
        report_unpaced(result, "PostgreSQL")
        figures.update({f"pg_{name}": value for name, value in unpaced_figures(result).items()})
    if args.paced_people:
        result = measure_in_child(args.paced_people, PCO_LIMIT, args.redis_url)
        report_paced(result)
        figures.update(paced_figures(result))
    if args.quick_people:
        result = measure_in_child(args.quick_people, 0, args.redis_url, mode="--quick-child")
        quick_sync.report_quick(result)
        figures.update(quick_sync.quick_figures(result))
    figures.update(media_compare.figures_if_asked(args))
    print_figures(args, figures)


if __name__ == "__main__":
    main()
