"""Quick Sync figures for benchmarks/pull.py: what "nothing changed" and "50 people changed"
cost against a sandbox of N people, and whether a crash mid-run and a re-run converge.

Changes are made through the sandbox's PCO API (names, emails, phone numbers) and its admin
merge (PCO merges only in its UI), exactly as church staff would in PCO.

Run on its own, it is benchmarks/pull.py's Quick Sync section alone (the same as
`-m benchmarks.pull --sizes "" --paced-people 0`, which it calls):

    .venv/bin/python -m benchmarks.quick_sync [--people 20000] [--redis-url URL] [--json]
"""
import math
import os
import random

import requests
from sqlalchemy import event

from benchmarks.harness import argument_parser, print_figures

AUTH = ("sandbox", "sandbox")
PERSON_FIELDS = ("first_name", "last_name", "nickname", "birthdate")


class WriteCounter:
    """INSERT/UPDATE/DELETE statements against the synced data (a run's own row excluded)."""

    IGNORED = ("sync_runs", "sync_issues")

    def __init__(self, engine):
        self.count = 0
        self.engine = engine
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, conn, cursor, statement, parameters, context, executemany):
        words = statement.lstrip().split(None, 3)
        verb = words[0].upper() if words else ""
        if verb in ("INSERT", "UPDATE", "DELETE") and not any(
                table in statement[:80] for table in self.IGNORED):
            self.count += 1

    def close(self):
        event.remove(self.engine, "before_cursor_execute", self._seen)


def pco(sandbox_url, method, path, attributes, type_):
    body = {"data": {"type": type_, "attributes": attributes}}
    response = requests.request(method, sandbox_url + path, json=body, auth=AUTH, timeout=30)
    response.raise_for_status()


def make_changes(sandbox_url, dump, count, seed):
    """Change `count` people in PCO: about 40% renamed, 30% an email changed (only the email:
    the person's updated_at stays), 28% a phone number, and one merge. Returns the PCO ids of
    the people changed (the kept one of the merge) and the removed one."""
    rng = random.Random(seed)
    people = rng.sample(dump["people"], count + 1)
    keep, remove = people[0], people[1]
    requests.post(sandbox_url + "/sandbox/merge", json={"keep": keep["id"],
                                                        "remove": remove["id"]},
                  timeout=30).raise_for_status()
    changed = {keep["id"]}
    for number, person in enumerate(people[2:], start=1):
        _change_one(sandbox_url, person, number, count, rng)
        changed.add(person["id"])
    return changed, remove["id"]


def _change_one(sandbox_url, person, number, count, rng):
    share = number / count
    if share <= 0.3 and person["emails"]:
        email = person["emails"][0]
        pco(sandbox_url, "PATCH", f"/people/v2/emails/{email['id']}",
            {"address": f"changed.{number}.{rng.randint(1, 10**6)}@example.org"}, "Email")
    elif share <= 0.58 and person["phone_numbers"]:
        phone = person["phone_numbers"][0]
        pco(sandbox_url, "PATCH", f"/people/v2/phone_numbers/{phone['id']}",
            {"number": f"555-01{number:02d}-{rng.randint(1000, 9999)}"}, "PhoneNumber")
    else:
        pco(sandbox_url, "PATCH", f"/people/v2/people/{person['id']}",
            {"first_name": f"Renamed{number}"}, "Person")


def budget(changed_records):
    """The issue's ceiling: 5 requests, plus one per 100 changed records."""
    return 5 + math.ceil(changed_records / 100)


def mismatches(dump, pco_ids, removed_id):
    """PCO ids among `pco_ids` whose local copy differs from the sandbox (the removed person of
    a merge must be archived here)."""
    from pcosync.extensions import db
    from pcosync.models import Person

    by_id = {p["id"]: p for p in dump["people"]}
    wrong = []
    for pco_id in pco_ids:
        local = db.session.query(Person).filter_by(pco_id=pco_id).one_or_none()
        if local is None or _view(local) != _remote_view(by_id[pco_id]):
            wrong.append(pco_id)
    still_live = db.session.query(Person).filter_by(pco_id=removed_id,
                                                    archived_at=None).count()
    return wrong + ([removed_id] if still_live else [])


def _view(person):
    fields = tuple(str(getattr(person, name) or "") for name in PERSON_FIELDS)
    return (fields, sorted((e.pco_id, e.address) for e in person.emails),
            sorted((p.pco_id, p.number) for p in person.phone_numbers),
            sorted((a.pco_id, a.street_line_1 or "") for a in person.addresses))


def _remote_view(person):
    fields = tuple(str(person.get(name) or "") for name in PERSON_FIELDS)
    return (fields, sorted((e["id"], e["address"]) for e in person["emails"]),
            sorted((p["id"], p["number"]) for p in person["phone_numbers"]),
            sorted((a["id"], a["street_line_1"] or "") for a in person["addresses"]))


# -- the scenarios benchmarks/pull.py runs and reports ---------------------------------------

def quick_step(sandbox_url, clock, crash_on_page=None):
    """One Quick Sync: its run's figures, requests, and writes to the synced data."""
    from pcosync.extensions import db
    from pcosync.services.pull import quick

    from benchmarks.pull import run_step

    counter, original = WriteCounter(db.engine), quick.apply_people_page
    if crash_on_page:
        calls = []

        def crashing(records, progress):
            calls.append(1)
            if len(calls) == crash_on_page:
                raise RuntimeError("simulated crash in the middle of a Quick Sync")
            return original(records, progress)
        quick.apply_people_page = crashing
    try:
        step = run_step("Quick Sync", sandbox_url, clock)
    finally:
        quick.apply_people_page = original
        counter.close()
    return dict(step, writes=counter.count)


def quick_scenarios(people, sandbox_url, clock):
    """Sync People, then Quick Syncs: nothing changed, 50 changed, a crash and a re-run."""
    from benchmarks.pull import run_step

    dump = lambda: requests.get(sandbox_url + "/sandbox/dump", timeout=300).json()  # noqa: E731
    first = run_step("People", sandbox_url, clock)
    unchanged = quick_step(sandbox_url, clock)
    changed, removed = make_changes(sandbox_url, dump(), 50, seed=5)
    after_50 = quick_step(sandbox_url, clock)
    wrong_50 = mismatches(dump(), changed, removed)
    crash_changed, crash_removed = make_changes(sandbox_url, dump(), 150, seed=6)
    crashed = quick_step(sandbox_url, clock, crash_on_page=2)
    rerun = quick_step(sandbox_url, clock)
    wrong_crash = mismatches(dump(), crash_changed, crash_removed)
    return {"people": people, "first_pull": first, "unchanged": unchanged,
            "after_50": after_50, "wrong_50": wrong_50, "crashed": crashed, "rerun": rerun,
            "wrong_crash": wrong_crash}


def report_quick(result):
    unchanged, after = result["unchanged"], result["after_50"]
    print(f"\nQuick Sync, {result['people']:,} people in PCO (rate limit off; Sync People "
          f"first: {result['first_pull']['requests']} requests)")
    print(f"  nothing changed: {unchanged['requests']} requests (at most 5), "
          f"{unchanged['writes']} writes, {unchanged['seconds']:.2f} s, {unchanged['status']}")
    print(f"  50 people changed (names, emails, phones, a merge): {after['requests']} requests "
          f"(budget {budget(50)}), {after['seconds']:.2f} s, {after['status']}; "
          f"converged: {'yes' if not result['wrong_50'] else result['wrong_50'][:5]}")
    crashed, rerun = result["crashed"], result["rerun"]
    print(f"  150 changed, crash mid-run: {crashed['status']} after {crashed['requests']} "
          f"requests; re-run {rerun['status']} in {rerun['requests']} requests; converged, "
          f"none skipped: {'yes' if not result['wrong_crash'] else result['wrong_crash'][:5]}")


def quick_figures(result):
    return {
        "quick_people": result["people"],
        "quick_requests_unchanged": result["unchanged"]["requests"],
        "quick_writes_unchanged": result["unchanged"]["writes"],
        "quick_seconds_unchanged": round(result["unchanged"]["seconds"], 3),
        "quick_requests_50_changed": result["after_50"]["requests"],
        "quick_budget_50_changed": budget(50),
        "quick_seconds_50_changed": round(result["after_50"]["seconds"], 3),
        "quick_converged_50_changed": not result["wrong_50"],
        "quick_crash_status": result["crashed"]["status"],
        "quick_requests_rerun_after_crash": result["rerun"]["requests"],
        "quick_converged_after_crash": not result["wrong_crash"],
    }


def main():
    from benchmarks import pull

    parser = argument_parser("Quick Sync benchmark: benchmarks/pull.py's Quick Sync section.")
    parser.add_argument("--people", type=int, default=20000, help="people in PCO")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL",
                                                              pull.DEFAULT_REDIS_URL))
    args = parser.parse_args()
    result = pull.measure_in_child(args.people, 0, args.redis_url, mode="--quick-child")
    report_quick(result)
    print_figures(args, quick_figures(result))


if __name__ == "__main__":
    main()
