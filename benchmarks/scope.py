"""Scope benchmark: a list-scoped Full Sync, the requests it makes against the minimum.

    .venv/bin/python -m benchmarks.scope [--people 5000] [--every 10] [--json]

A sandbox of N people (in another process) and a PCO list holding every `--every`th adult;
the sync scope is that list; a Full Sync on a new SQLite database. requests: what the Full
Sync's steps asked of PCO; requests_minimum: the list's pages (ceil(n/100)) and People's
choice lists and custom fields, then Families' and Groups' own minimum (benchmarks/pull.py's:
households and groups are still read whole), so the scope's saving is People's listing:
people_requests against people_requests_all_of_pco (what all of PCO costs).
"""
import math
import time

import requests

from benchmarks.harness import argument_parser, print_figures
from benchmarks.pull import DEFAULT_REDIS_URL, app_on_sandbox, minimum_requests, run_step


def make_list(sandbox_url, every):
    people = requests.get(sandbox_url + "/sandbox/dump", timeout=120).json()["people"]
    chosen = [p["id"] for p in people if not p["child"]][::every]
    made = requests.post(sandbox_url + "/sandbox/lists", timeout=120,
                         json={"name": "Members", "person_ids": chosen})
    made.raise_for_status()
    return made.json(), len(chosen)


def scope_to(made):
    from pcosync.extensions import db
    from pcosync.models import SyncScope
    from pcosync.services.rules.scope import SCOPE_ROW_ID

    db.session.add(SyncScope(id=SCOPE_ROW_ID, pull_lists=[{"pco_id": made["id"],
                                                           "name": made["name"]}]))
    db.session.commit()


# The steps a list scope narrows (or, for families and groups, applies here).
SCOPED_STEPS = ("People", "Families", "Groups")


def measure(people, every, redis_url):
    with app_on_sandbox(people, redis_url) as (sandbox_url, clock):
        made, in_list = make_list(sandbox_url, every)
        scope_to(made)
        minimum = minimum_requests(sandbox_url)
        started = time.perf_counter()
        steps = [run_step(kind, sandbox_url, clock) for kind in SCOPED_STEPS]
        seconds = time.perf_counter() - started
    list_pages = max(1, math.ceil(in_list / 100))
    all_pages = max(1, math.ceil(people / 100))
    people_minimum = minimum["People"] - all_pages + list_pages
    return {"people": people, "people_in_list": in_list, "seconds": round(seconds, 2),
            "statuses": [step["status"] for step in steps],
            "requests": sum(step["requests"] for step in steps),
            "requests_minimum": people_minimum + minimum["Families"] + minimum["Groups"],
            "people_requests": steps[0]["requests"], "people_requests_minimum": people_minimum,
            "people_requests_all_of_pco": minimum["People"],
            "people_created": steps[0]["created"]}


def main():
    parser = argument_parser("A list-scoped Full Sync: requests against the minimum.")
    parser.add_argument("--people", type=int, default=5000)
    parser.add_argument("--every", type=int, default=10,
                        help="the list holds every Nth adult of the sandbox")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL)
    args = parser.parse_args()
    figures = measure(args.people, args.every, args.redis_url)
    print(f"List-scoped Full Sync of {figures['people_in_list']} people in a list, out of "
          f"{figures['people']} in PCO: {figures['seconds']} s, steps {figures['statuses']}")
    print(f"  requests {figures['requests']} (minimum {figures['requests_minimum']}); People "
          f"{figures['people_requests']} (minimum {figures['people_requests_minimum']}; all "
          f"of PCO would be {figures['people_requests_all_of_pco']}); "
          f"{figures['people_created']} people created here")
    print_figures(args, figures)


if __name__ == "__main__":
    main()
