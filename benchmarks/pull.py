"""Pull benchmark: Full Sync of generated people, households and groups from the sandbox.

    .venv/bin/python -m benchmarks.pull [--sizes 2500,10000] [--paced-people N] [--media-compare N]
                                        [--quick-people N] [--no-naive] [--json]
                                        [--database-url postgresql+psycopg://...]
                                        [--db-latency-ms N] [--no-media] [--pco-latency-ms N]

Each size runs in a fresh process (so its peak memory is its own) against a sandbox in another
process (so the two do not share one interpreter), on a new SQLite database. The steps are the
Full Sync's (People, Notes, Families, Groups; full_sync_seconds is their sum). Rate limit off:
per step, wall time, records/s, the time pcosync itself spends (wall time minus the time the
run's thread waits on PCO: its own requests, and the pages whose request was sent ahead) and
people/s on that, requests made vs the minimum (ceil(N/100) per listing, one listing
per group for its memberships, one request per choice list: People's 6 lists, the custom
fields' tabs and definitions, Groups' tag groups and each one's tags), and peak RSS.
`--database-url`: the largest of --sizes again into PostgreSQL; its figures prefixed pg_.
With `--db-latency-ms N` it is reached through benchmarks/db_proxy.py, each direction delayed
N ms (about 1 ms between a Heroku dyno and its database).
Every step counts the statements it sends per page (benchmarks/round_trips.py's PageCounter,
the median page: round_trips_per_page for a first pull, _unchanged_page, _notes_page,
_families_page, _groups_page) and its commits (commits_people_first against pages_people_first:
each page is committed as it goes; on PostgreSQL a first pull's new people are committed by
their own INSERT, sent beside the run (pcosync/services/pull/page_writer.py), and the run's
transaction, which then only reads, commits about once a second); with --database-url,
round_trips.py in a child adds the statements per 100 webhook deliveries
(pg_round_trips_webhook_page).
Rate limit on (PCO's 100 requests / 20 s): the Full Sync's wall time (without its Media step,
no API request) vs the floor the limit imposes (100 requests per 20 s window), and when its
requests went out (paced_last_request_s, paced_first_window_span_s: the span of the first
window's 99, paced_request_ms_median: the median answer). `--pco-latency-ms N`: every answer
of the sandbox in the paced run takes at least N ms, as PCO's do across the internet.
"again" is People pulled a second time, every record unchanged (Skipped).
Naive baseline (benchmarks/naive.py, on the first of --sizes; --no-naive skips it): People
synced the way a script on pypco's defaults would, beside pcosync's Sync People.
Quick Sync (--quick-people, 20,000 by default): the scenarios of benchmarks/quick_sync.py
(nothing changed, 50 changed, a crash mid-run and its re-run) after a Sync People.
Targets: 5,000 people/s of local processing, requests within 5% of the minimum, flat memory.
Media: files per second of wall time of the Media step (media_per_s); --no-media skips it.
requests_past_deep_offset: requests at an offset past 30,000 (PCO's stricter share).
`--json`: the last line is one JSON object of named figures: people_per_s_first,
people_per_s_unchanged, families_per_s and groups_records_per_s are local processing (wall time
minus HTTP); requests and peak_rss_mib the Full Sync steps'; unsuffixed figures are the largest
of --sizes, each size's repeated with `_<size>` on the end; paced_ratio also as
paced_ratio_<paced people>.

    .venv/bin/python -m benchmarks.pull --sizes 10000 --paced-people 0 --quick-people 0 \
        --no-naive --database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres \
        --db-latency-ms 1 --json
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
from sqlalchemy import event

from benchmarks import media_compare, naive, quick_sync, round_trips
from benchmarks.harness import (argument_parser, free_port,
                                migrated_app, print_figures, redis_url_or_bundled, wait_for)
from benchmarks.pull_figures import (PCO_LIMIT, PCO_PERIOD, STEPS, naive_figures,
                                     paced_figures, report_naive, report_paced,
                                     report_unpaced, request_timeline, unpaced_figures)

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"


class HttpClock:
    """Time the run's own thread spends waiting on PCO: inside requests.Session.send (the round
    trip and reading the body), or waiting for a page read ahead (pcosync/pco/prefetch.py: the
    read-ahead thread's own time on HTTP overlaps the work, so it is not counted). `sends`: every
    request to PCO's API from any thread, (when it was sent, seconds until its body was read)."""

    def __init__(self):
        from pcosync.pco import prefetch

        self.seconds, self.sends = 0.0, []
        original_send, original_wait = requests.Session.send, prefetch.wait

        def timed_send(session, request, **kwargs):
            started = time.perf_counter()
            try:
                return original_send(session, request, **kwargs)
            finally:
                took = time.perf_counter() - started
                if "/sandbox/" not in request.url:
                    self.sends.append((started, took))
                if threading.current_thread() is threading.main_thread():
                    self.seconds += took

        def timed_wait(pages):
            started = time.perf_counter()
            try:
                return original_wait(pages)
            finally:
                self.seconds += time.perf_counter() - started

        requests.Session.send, prefetch.wait = timed_send, timed_wait

    def timeline(self, since, started):
        """When the requests sent after `since` (an index into sends) went out."""
        return request_timeline(self.sends[since:], started)


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
    counts = requests.get(sandbox_url + "/sandbox/counts", timeout=120).json()
    pages = lambda count: max(1, math.ceil(count / 100))  # noqa: E731 (an empty list is a page)
    # The custom fields: the tabs, then the definitions with their options included.
    custom_fields = sum(pages(counts[name]) for name in ("tabs", "field_definitions"))
    return {
        "People": pages(counts["people"]) + CHOICE_LISTS + custom_fields,
        # The categories, then each category's notes (a Full Sync reads a category at a time).
        "Notes": 1 + sum(map(pages, counts["notes_by_category"])),
        "Families": pages(counts["households"]),
        "Groups": pages(len(counts["group_memberships"]))
        + sum(map(pages, counts["group_memberships"])) + 1 + counts["tag_groups"],
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
    http_before, sends_before = clock.seconds, len(clock.sends)
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
            "step_seconds": {step.kind: round(step.duration_seconds, 1) for step in run.steps},
            "http_seconds": clock.seconds - http_before, "requests": stats["total"],
            "timeline": clock.timeline(sends_before, started),
            "over_limit": stats["over_limit"], "refused": stats["by_status"].get("429", 0),
            "past_deep_offset": stats.get("past_deep_offset", 0),
            "records": run.created_count + run.updated_count + run.skipped_count
            + run.failed_count, "created": run.created_count, "failed": run.failed_count}


def measure(people, rate_limit, redis_url, with_naive=False, database_url=None,
            db_latency_ms=0, media=True, pco_latency_ms=0):
    """One size in this process: the sandbox, a new database (SQLite, or a new database on the
    PostgreSQL server `database_url` names, `db_latency_ms` away through db_proxy.py), the
    steps (or one Full Sync), then, `with_naive`, the naive baseline against the same
    sandbox."""
    clock = HttpClock()
    folder = tempfile.mkdtemp(prefix="pcosync-bench-")
    redis_url, bundled = redis_url_or_bundled(redis_url, folder)
    sandbox, sandbox_url = start_sandbox(people, rate_limit)
    try:
        if pco_latency_ms:  # every API answer waits this long (the sandbox's fault injector)
            requests.post(sandbox_url + "/sandbox/config", timeout=10, json={
                "faults": {"latency": pco_latency_ms / 1000}}).raise_for_status()
        with round_trips.database(database_url, database_url and db_latency_ms) as url:
            app = migrated_app(folder, redis_url, sandbox_url, url)
            with app.app_context():
                result = measure_steps(people, rate_limit, redis_url, sandbox_url, clock, media)
                from pcosync.extensions import db

                db.session.remove()
                db.engine.dispose()
        if with_naive:
            result["naive"] = naive.run(
                sandbox_url, lambda: sandbox_requests(sandbox_url, reset=True),
                lambda: sandbox_requests(sandbox_url))
        return dict(result, db_latency_ms=db_latency_ms if database_url else 0,
                    pco_latency_ms=pco_latency_ms)
    finally:
        sandbox.terminate()
        sandbox.wait()
        if bundled is not None:
            bundled.terminate()


def measure_steps(people, rate_limit, redis_url, sandbox_url, clock, media=True):
    """The steps (rate limit off: each step, People again with every record unchanged, then
    Media) or one Full Sync (the limit on), each with its statements per page and commits."""
    from pcosync.extensions import db

    redis_lib.Redis.from_url(redis_url).flushdb()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kinds = ("Full Sync",) if rate_limit else STEPS + ("People",) + (("Media",) if media else ())
    if rate_limit and not media:
        without_media()
    steps = [counted_step(kind, sandbox_url, clock, db.engine) for kind in kinds]
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # After the peak is read (the sizes are small, but nothing of the pull's).
    return {"people": people, "rate_limit": rate_limit, "steps": steps,
            "minimum": minimum_requests(sandbox_url), "rss_before_kib": rss_before,
            "rss_peak_kib": rss_peak}


def without_media():
    """The Full Sync without its Media step (--no-media: the paced figure leaves it out, and
    100,000 people's photos take longer than their pull)."""
    import dataclasses

    from pcosync.services.runs import kinds

    full_sync = kinds.get("Full Sync")
    kinds._registry[full_sync.value] = dataclasses.replace(
        full_sync, steps=tuple(step for step in full_sync.steps if step != kinds.MEDIA))


def counted_step(kind, sandbox_url, clock, engine):
    """run_step, with the statements sent per page (round_trips.PageCounter: the median page)
    and the run's commits (about one a page where its pages write through the run's own
    transaction; see the module's text)."""
    commits = []
    count_commit = lambda *_args: commits.append(1)  # noqa: E731
    event.listen(engine, "commit", count_commit)
    try:
        with round_trips.counting(engine) as counter:
            step = run_step(kind, sandbox_url, clock)
    finally:
        event.remove(engine, "commit", count_commit)
    return dict(step, statements_per_page=counter.per_page(), pages=len(counter.pages),
                commits=len(commits))


def measure_in_child(people, rate_limit, redis_url, mode="--child", with_naive=False,
                     database_url=None, db_latency_ms=0, media=True, pco_latency_ms=0):
    command = [sys.executable, "-m", "benchmarks.pull", mode, str(people),
               "--rate-limit", str(rate_limit), "--redis-url", redis_url]
    if with_naive:
        command.append("--naive-child")
    if not media:
        command.append("--no-media")
    if pco_latency_ms:
        command += ["--pco-latency-ms", str(pco_latency_ms)]
    if database_url:
        command += ["--database-url", database_url, "--db-latency-ms", str(db_latency_ms)]
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


def webhook_round_trips(args, people=500, deliveries=500):
    """Statements per 100 webhook deliveries (and the custom fields' pull) on the same server
    and latency: benchmarks/round_trips.py in a child (its edits need the sandbox in-process)."""
    command = [sys.executable, "-m", "benchmarks.round_trips", "--json", "--people", str(people),
               "--deliveries", str(deliveries), "--database-url", args.database_url,
               "--db-latency-ms", str(args.db_latency_ms)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    found = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"\n{deliveries} webhook deliveries ({people} people synced first): "
          f"{found['pg_round_trips_webhook_page']} statements per 100 deliveries")
    names = ("pg_round_trips_webhook_page", "pg_round_trips_custom_fields",
             "pg_webhook_deliveries_per_s")
    return {name: found[name] for name in names if name in found}


def parse_args():
    parser = argument_parser(__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2500,10000",
                        help="people counts for the unpaced runs, comma-separated")
    parser.add_argument("--paced-people", type=int, default=20000,
                        help="people for the run with the rate limit on (0 skips it)")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL",
                                                              DEFAULT_REDIS_URL))
    parser.add_argument("--quick-people", type=int, default=20000,
                        help="people in PCO for the Quick Sync figures (0 skips them)")
    parser.add_argument("--no-naive", action="store_true",
                        help="skip the naive baseline (run on the first of --sizes)")
    parser.add_argument("--database-url",
                        help="a PostgreSQL server (postgresql+psycopg://...): the largest of "
                        "--sizes again, into a new database made there (figures pg_*)")
    parser.add_argument("--db-latency-ms", type=float, default=0,
                        help="with --database-url: reach PostgreSQL through benchmarks/db_proxy.py"
                        ", each direction delayed this many ms (a round trip costs twice that)")
    parser.add_argument("--pco-latency-ms", type=float, default=0,
                        help="the paced run: every answer of the sandbox takes at least this "
                        "many ms (PCO's own answers cross the internet; the sandbox's do not)")
    parser.add_argument("--no-media", action="store_true",
                        help="skip the Media step (downloads: minutes at 100,000 people)")
    media_compare.add_arguments(parser)
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--naive-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--quick-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--rate-limit", type=int, default=0, help=argparse.SUPPRESS)
    return parser.parse_args()


def run_child(args):
    """What a child process measures (measure_in_child): one size, or the Quick Sync."""
    if args.quick_child:
        return measure_quick(args.quick_child, args.redis_url)
    return measure(args.child, args.rate_limit, args.redis_url, args.naive_child,
                   args.database_url, args.db_latency_ms, not args.no_media, args.pco_latency_ms)


def main():
    args = parse_args()
    if args.child or args.quick_child:
        print(json.dumps(run_child(args), default=str))
        return
    print("Pull benchmark: Full Sync steps from the sandbox into a new SQLite database.")
    figures = {}
    sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    for number, people in enumerate(sizes):
        with_naive = number == 0 and not args.no_naive
        result = measure_in_child(people, 0, args.redis_url, with_naive=with_naive,
                                  media=not args.no_media)
        report_unpaced(result)
        size_figures = unpaced_figures(result)
        figures.update({f"{name}_{people}": value for name, value in size_figures.items()})
        if people == max(sizes):
            figures.update(size_figures, people=people)
        if with_naive:
            report_naive(result)
            figures.update(naive_figures(result))
    if args.database_url and sizes:
        result = measure_in_child(max(sizes), 0, args.redis_url, database_url=args.database_url,
                                  db_latency_ms=args.db_latency_ms, media=not args.no_media)
        report_unpaced(result, f"PostgreSQL ({args.db_latency_ms:g} ms away each way)")
        figures.update({f"pg_{name}": value for name, value in unpaced_figures(result).items()})
        figures.update(webhook_round_trips(args))
    if args.paced_people:
        result = measure_in_child(args.paced_people, PCO_LIMIT, args.redis_url,
                                  media=not args.no_media, pco_latency_ms=args.pco_latency_ms)
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
