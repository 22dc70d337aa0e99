"""Pull benchmark: Full Sync of generated people, households and groups from the sandbox.

    .venv/bin/python -m benchmarks.pull [--people 10000] [--sizes 2500,10000] [--paced-people N]

Each size runs in a fresh process (so its peak memory is its own) against a sandbox in another
process (so the two do not share one interpreter), on a new SQLite database. Rate limit off:
per step, wall time, records/s, the time pcosync itself spends (wall time minus time waiting on
HTTP) and people/s on that, requests made vs the minimum (ceil(N/100) per listing, one listing
per group for its memberships), and peak RSS. Rate limit on (PCO's 100 requests / 20 s): the
Full Sync's wall time vs the floor the limit imposes (each 100 requests after the first 100 wait
for a new 20 s window).
"again" is People pulled a second time, every record unchanged (Skipped).
Targets: at least 5,000 people/s of local processing, requests within 5% of the minimum,
memory flat in N.
"""
import argparse
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time

import redis as redis_lib
import requests

from benchmarks.harness import free_port, migrated_app, redis_url_or_bundled, wait_for

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"
STEPS = ("People", "Families", "Groups")
PCO_LIMIT, PCO_PERIOD = 100, 20


class HttpClock:
    """Time spent inside requests.Session.send (the round trip and reading the body)."""

    def __init__(self):
        self.seconds = 0.0
        original = requests.Session.send

        def timed_send(session, request, **kwargs):
            started = time.perf_counter()
            try:
                return original(session, request, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started

        requests.Session.send = timed_send


def start_sandbox(people, rate_limit):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "pcosync.sandbox", "--port", str(port), "--people", str(people),
         "--rate-limit", str(rate_limit), "--rate-period", str(PCO_PERIOD)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_for(url + "/sandbox/health", timeout=120)
    return process, url


def minimum_requests(sandbox_url):
    """What a perfect pull of the sandbox's data costs: ceil(N/100) per listing."""
    data = requests.get(sandbox_url + "/sandbox/dump", timeout=120).json()
    pages = lambda count: max(1, math.ceil(count / 100))  # noqa: E731 (an empty list is a page)
    return {
        "People": pages(data["counts"]["people"]),
        "Families": pages(data["counts"]["households"]),
        "Groups": pages(len(data["groups"])) + sum(pages(len(group["memberships"]))
                                                   for group in data["groups"]),
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
    stats = sandbox_requests(sandbox_url)
    return {"kind": kind, "status": run.status, "seconds": seconds,
            "http_seconds": clock.seconds - http_before, "requests": stats["total"],
            "over_limit": stats["over_limit"], "refused": stats["by_status"].get("429", 0),
            "records": run.created_count + run.updated_count + run.skipped_count
            + run.failed_count, "created": run.created_count, "failed": run.failed_count}


def measure(people, rate_limit, redis_url):
    """One size in this process: the sandbox, a new database, the steps (or one Full Sync)."""
    clock = HttpClock()
    folder = tempfile.mkdtemp(prefix="pcosync-bench-")
    redis_url, bundled = redis_url_or_bundled(redis_url, folder)
    sandbox, sandbox_url = start_sandbox(people, rate_limit)
    try:
        app = migrated_app(folder, redis_url, sandbox_url)
        with app.app_context():
            redis_lib.Redis.from_url(redis_url).flushdb()
            rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            # Unpaced: each step, then People again (nothing changed: every record Skipped).
            kinds = ("Full Sync",) if rate_limit else STEPS + ("People",)
            steps = [run_step(kind, sandbox_url, clock) for kind in kinds]
            rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            # After the peak is read: the sandbox's whole dump is larger than any pull.
            return {"people": people, "rate_limit": rate_limit, "steps": steps,
                    "minimum": minimum_requests(sandbox_url), "rss_before_kib": rss_before,
                    "rss_peak_kib": rss_peak}
    finally:
        sandbox.terminate()
        sandbox.wait()
        if bundled is not None:
            bundled.terminate()


def measure_in_child(people, rate_limit, redis_url):
    command = [sys.executable, "-m", "benchmarks.pull", "--child", str(people),
               "--rate-limit", str(rate_limit), "--redis-url", redis_url]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def report_unpaced(result):
    people = result["people"]
    print(f"\n{people:,} people, rate limit off "
          f"(peak RSS {result['rss_peak_kib'] / 1024:.0f} MiB, "
          f"{(result['rss_peak_kib'] - result['rss_before_kib']) / 1024:.0f} MiB "
          "more than before the pull)")
    print(f"  {'step':<9}{'records':>9}{'wall s':>8}{'rec/s':>8}{'local s':>9}"
          f"{'local rec/s':>13}{'requests':>10}{'minimum':>9}")
    for number, step in enumerate(result["steps"]):
        local = max(step["seconds"] - step["http_seconds"], 1e-9)
        name = step["kind"] if number < len(STEPS) else "again"
        print(f"  {name:<9}{step['records']:>9,}{step['seconds']:>8.2f}"
              f"{step['records'] / step['seconds']:>8,.0f}{local:>9.2f}"
              f"{step['records'] / local:>13,.0f}{step['requests']:>10}"
              f"{result['minimum'][step['kind']]:>9}  {step['status']}, "
              f"failed {step['failed']}")
    total = sum(step["requests"] for step in result["steps"][:len(STEPS)])
    floor = sum(result["minimum"].values())
    print(f"  requests {total} vs minimum {floor} ({100 * (total - floor) / floor:+.1f}%)")


def report_paced(result):
    step = result["steps"][0]
    # A window of 100 requests per 20 s: request 101 waits for the window opened by request 1.
    floor = (step["requests"] - 1) // PCO_LIMIT * PCO_PERIOD
    print(f"\n{result['people']:,} people, PCO's limit on ({PCO_LIMIT} per {PCO_PERIOD} s): "
          f"Full Sync {step['status']} in {step['seconds']:.1f} s, {step['requests']} requests; "
          f"the limit's floor {floor:.1f} s ({step['seconds'] / max(floor, 1e-9):.2f}x); "
          f"refused (429) {step['refused']}, over the limit {step['over_limit']}")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2500,10000",
                        help="people counts for the unpaced runs, comma-separated")
    parser.add_argument("--paced-people", type=int, default=20000,
                        help="people for the run with the rate limit on (0 skips it)")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL",
                                                              DEFAULT_REDIS_URL))
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--rate-limit", type=int, default=0, help=argparse.SUPPRESS)
    return parser.parse_args()


def main():
    args = parse_args()
    if args.child:
        print(json.dumps(measure(args.child, args.rate_limit, args.redis_url)))
        return
    print("Pull benchmark: Full Sync steps from the sandbox into a new SQLite database.")
    for people in (int(size) for size in args.sizes.split(",")):
        report_unpaced(measure_in_child(people, 0, args.redis_url))
    if args.paced_people:
        report_paced(measure_in_child(args.paced_people, PCO_LIMIT, args.redis_url))


if __name__ == "__main__":
    main()
