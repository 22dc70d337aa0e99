"""Paging people through the PCO sandbox with the real client.

    .venv/bin/python -m benchmarks.client_paging [--people 10000] [--paced-seconds 60]
                                                 [--generate 10000,50000] [--json]

Prints how long the sandbox takes to generate 10,000 and 50,000 people; with the rate limit
off: requests made and records/s for the whole listing; with PCO's real limit on (100 requests
/ 20 s): the achieved request rate as a fraction of that ceiling, and how many requests the
sandbox had to refuse (429) or saw beyond its limit.
`--json`: the last line is one JSON object of named figures.
"""
import os
import time

import redis

from pcosync.pco.client import PCOClient
from pco_sandbox import create_sandbox_app
from pco_sandbox.server import start_sandbox_in_thread

from .harness import argument_parser, print_figures

REDIS_URL = "redis://127.0.0.1:6379/15"


def page_all(client):
    records = requests = 0
    for page in client.iter_people():
        requests += 1
        records += len(page.records)
    return records, requests


def unpaced(people):
    server = start_sandbox_in_thread(create_sandbox_app(
        {"SANDBOX_PEOPLE": people, "SANDBOX_RATE_LIMIT": 0}))
    try:
        client = PCOClient("sandbox", "sandbox", server.url)
        started = time.perf_counter()
        records, requests = page_all(client)
        seconds = time.perf_counter() - started
    finally:
        server.stop()
    print(f"rate limit off: {records} people in {requests} requests, {seconds:.2f} s, "
          f"{records / seconds:,.0f} records/s, {requests / seconds:.1f} requests/s")
    return {"people": records, "requests": requests, "paging_seconds": round(seconds, 3),
            "records_per_s": round(records / seconds)}


def paced(people, seconds, limit=100, period=20):
    # Credentials of its own: the budget in Redis is shared by everyone using the same app id.
    app_id = f"bench-{os.getpid()}"
    server = start_sandbox_in_thread(create_sandbox_app(
        {"SANDBOX_PEOPLE": people, "SANDBOX_RATE_LIMIT": limit, "SANDBOX_RATE_PERIOD": period,
         "SANDBOX_APP_ID": app_id}))
    shared = redis.Redis.from_url(REDIS_URL)
    client = PCOClient(app_id, "sandbox", server.url, redis=shared)
    requests, started = 0, time.perf_counter()
    try:
        while time.perf_counter() - started < seconds:
            client.get("/people/v2/people", {"per_page": 1})
            requests += 1
        elapsed = time.perf_counter() - started
        stats = server.runtime.stats_snapshot()
    finally:
        server.stop()
    ceiling = limit / period
    print(f"rate limit on ({limit} per {period} s): {requests} requests in {elapsed:.1f} s = "
          f"{requests / elapsed:.2f} requests/s, {requests / elapsed / ceiling:.0%} of the "
          f"ceiling; 429s: {stats['by_status'].get('429', 0)}, over limit: "
          f"{stats['over_limit']}, before Retry-After: {stats['before_retry_after']}")
    return {"paced_requests": requests, "paced_seconds": round(elapsed, 1),
            "paced_requests_per_s": round(requests / elapsed, 2),
            "paced_ceiling_share": round(requests / elapsed / ceiling, 3),
            "paced_refused": stats["by_status"].get("429", 0),
            "paced_over_limit": stats["over_limit"],
            "paced_before_retry_after": stats["before_retry_after"]}


def generation(sizes=(10_000, 50_000)):
    from pco_sandbox.generator import generate

    figures = {}
    for people in sizes:
        started = time.perf_counter()
        generate(people, seed=1)
        seconds = time.perf_counter() - started
        print(f"sandbox data: {people:,} people generated in {seconds:.2f} s")
        figures[f"generate_seconds_{people}"] = round(seconds, 2)
    return figures


def main():
    parser = argument_parser(__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--paced-seconds", type=float, default=60.0)
    parser.add_argument("--generate", default="10000,50000",
                        help="people counts to time the sandbox's generator on, comma-separated")
    args = parser.parse_args()
    figures = generation([int(size) for size in args.generate.split(",") if size.strip()])
    figures.update(unpaced(args.people))
    figures.update(paced(200, args.paced_seconds))
    print_figures(args, figures)


if __name__ == "__main__":
    main()
