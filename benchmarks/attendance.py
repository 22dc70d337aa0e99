"""Attendance benchmark: the requests a first Sync Attendance sends against the minimum, and
what a second one (nothing changed) sends and writes.

    .venv/bin/python -m benchmarks.attendance [--people 2000] [--json]

A sandbox of --people (unpaced; its generated groups met weekly for 8 weeks, members and the odd
visitor on each meeting's list), a new SQLite database, a Full Sync, then Sync Attendance twice.
The minimum is one page of events per group and one page of attendances per meeting held (a
page holds 100). `--json`: attendance_requests, attendance_requests_minimum,
attendance_second_requests, attendance_second_writes, attendance_seconds, meetings,
attendance_lines.
"""
import math
import os
import tempfile

import redis as redis_lib
import requests

from benchmarks.harness import argument_parser, migrated_app, print_figures, redis_url_or_bundled
from benchmarks.pull import DEFAULT_REDIS_URL, HttpClock, run_step, start_sandbox

ROUTES = ("GET /groups/v2/groups/<id>/events", "GET /groups/v2/events/<id>/attendances")


def minimum(dump):
    per_group = {g["id"]: 0 for g in dump["groups"]}
    for event in dump["group_events"]:
        per_group[event["group_id"]] += 1
    return (sum(max(1, math.ceil(n / 100)) for n in per_group.values())
            + sum(max(1, math.ceil(e["attendances"] / 100))
                  for e in dump["group_events"] if not e["canceled"]))


def attendance_requests(sandbox_url):
    by_route = requests.get(sandbox_url + "/sandbox/stats", timeout=10).json()["by_route"]
    return sum(by_route.get(route, 0) for route in ROUTES)


def measure(people, redis_url):
    folder = tempfile.mkdtemp(prefix="pcosync-bench-")
    redis_url, bundled = redis_url_or_bundled(redis_url, folder)
    sandbox, sandbox_url = start_sandbox(people, 0)
    clock = HttpClock()
    try:
        app = migrated_app(folder, redis_url, sandbox_url)
        with app.app_context():
            redis_lib.Redis.from_url(redis_url).flushdb()
            assert run_step("Full Sync", sandbox_url, clock)["status"] == "COMPLETED"
            first = run_step("Group Attendance", sandbox_url, clock)
            first_requests = attendance_requests(sandbox_url)
            run_step("Group Attendance", sandbox_url, clock)
            second_requests, second_writes = attendance_requests(sandbox_url), last_writes()
        dump = requests.get(sandbox_url + "/sandbox/dump", timeout=120).json()
    finally:
        sandbox.terminate()
        if bundled is not None:
            bundled.terminate()
    return {"attendance_requests": first_requests,
            "attendance_requests_minimum": minimum(dump),
            "attendance_second_requests": second_requests,
            "attendance_second_writes": second_writes,
            "attendance_seconds": round(first["seconds"], 2),
            "meetings": len(dump["group_events"]), "attendance_lines": len(dump["attendances"])}


def last_writes():
    """Records the last run created or updated."""
    from sqlalchemy import select

    from pcosync.extensions import db
    from pcosync.models import SyncRun

    run = db.session.scalar(select(SyncRun).order_by(SyncRun.id.desc()).limit(1))
    return run.created_count + run.updated_count


def main():
    parser = argument_parser("Attendance benchmark: requests of Sync Attendance vs the minimum.")
    parser.add_argument("--people", type=int, default=2000, help="people in PCO")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL",
                                                              DEFAULT_REDIS_URL))
    args = parser.parse_args()
    figures = measure(args.people, args.redis_url)
    for name, value in sorted(figures.items()):
        print(f"{name:32} {value}")
    print_figures(args, figures)


if __name__ == "__main__":
    main()
