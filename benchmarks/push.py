"""Push People benchmark: requests per new and per unchanged person, and records/s.

    .venv/bin/python -m benchmarks.push [--people 1000] [--contacts 2] [--redis-url URL] [--json]

Starts a sandbox (rate limit off, no generated people) and a throw-away SQLite app, creates
local people with `--contacts` contact points each (an email first, then a phone, then an
address, in turn), runs Push People twice and reads the request counts from /sandbox/stats.
Target: 1 + k requests per new person (+1 for the look-up by email), 0 per unchanged one.
`--json`: the last line is one JSON object of named figures.
"""
import os
import sys
import tempfile
import time

import redis as redis_lib
import requests

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from benchmarks.harness import (argument_parser, migrated_app, print_figures,  # noqa: E402
                                redis_url_or_bundled)
from pcosync.extensions import db  # noqa: E402
from pcosync.models import Address, Email, Person, PhoneNumber, SyncRun  # noqa: E402
from pco_sandbox import create_sandbox_app  # noqa: E402
from pco_sandbox.server import start_sandbox_in_thread  # noqa: E402

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"


def parse_args():
    parser = argument_parser(__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--contacts", type=int, default=2, help="contact points per person (k)")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL",
                                                              DEFAULT_REDIS_URL))
    return parser.parse_args()


def contact_point(person_number, position):
    kind = position % 3
    if kind == 0:
        address = f"bench.{person_number}.{position}@example.org"
        return Email(address=address, normalized=address, location="Home",
                     is_primary=position == 0)
    if kind == 1:
        number = "555%07d" % (person_number * 10 + position)
        return PhoneNumber(number=number, digits=number, location="Mobile",
                           is_primary=position == 1)
    return Address(street_line_1=f"{person_number} Bench St", city="Salem", state="OR",
                   zip="97301", location="Home", is_primary=position == 2)


def create_people(count, contacts):
    for number in range(count):
        person = Person(first_name="Bench", last_name=f"Person{number}",
                        search_name=f"bench person{number}")
        for position in range(contacts):
            point = contact_point(number, position)
            relation = {Email: person.emails, PhoneNumber: person.phone_numbers,
                        Address: person.addresses}[type(point)]
            relation.append(point)
        db.session.add(person)
    db.session.commit()


def timed_push(server):
    from pcosync.services.runs.execute import execute_run
    from pcosync.services.runs.lifecycle import start_run

    requests.post(server.url + "/sandbox/stats/reset", timeout=10).raise_for_status()
    started = time.perf_counter()
    run_id = start_run("Push People", triggered_by="benchmark").id
    execute_run(run_id)
    seconds = time.perf_counter() - started
    db.session.expire_all()
    run = db.session.get(SyncRun, run_id)
    stats = requests.get(server.url + "/sandbox/stats", timeout=10).json()
    return run, stats, seconds


def report(label, run, stats, seconds, people):
    print(f"{label}: {run.status}; created {run.created_count}, updated {run.updated_count}, "
          f"skipped {run.skipped_count}, failed {run.failed_count}")
    print(f"  requests {stats['total']} = {stats['total'] / people:.2f} per person; "
          f"{seconds:.1f} s, {people / seconds:.0f} records/s")
    for route, count in stats["by_route"].items():
        print(f"    {count:6d}  {route}")


def push_figures(label, run, stats, seconds, people):
    return {f"push_requests_per_{label}_person": round(stats["total"] / people, 2),
            f"push_{label}_people_per_s": round(people / seconds),
            f"push_{label}_seconds": round(seconds, 2),
            f"push_{label}_failed": run.failed_count}


def main():
    args = parse_args()
    folder = tempfile.mkdtemp(prefix="pcosync-bench-")
    redis_url, bundled = redis_url_or_bundled(args.redis_url, folder)
    server = start_sandbox_in_thread(create_sandbox_app(
        {"SANDBOX_PEOPLE": 0, "SANDBOX_RATE_LIMIT": 0}))
    try:
        app = migrated_app(folder, redis_url, server.url)
        with app.app_context():
            redis_lib.Redis.from_url(redis_url).flushdb()
            create_people(args.people, args.contacts)
            print(f"Push People: {args.people} new people, k={args.contacts} contact points "
                  f"each; target {1 + args.contacts} requests (+1 look-up by email) per new "
                  "person, 0 per unchanged one.")
            figures = {"people": args.people, "contacts_per_person": args.contacts}
            for label, title in (("new", "first push (new)"),
                                 ("unchanged", "second push (unchanged)")):
                measured = timed_push(server)
                report(title, *measured, args.people)
                figures.update(push_figures(label, *measured, args.people))
    finally:
        server.stop()
        if bundled is not None:
            bundled.terminate()
    print_figures(args, figures)


if __name__ == "__main__":
    main()
