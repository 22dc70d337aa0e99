"""Webhook endpoint under gunicorn on loopback, then the worker's batches applying the burst.

    .venv/bin/python -m benchmarks.webhooks [--deliveries 2000] [--clients 4]
                                            [--database-url postgresql+psycopg://...]
                                            [--db-latency-ms N] [--json]

A church of 500 people is synced (Full Sync), then the sandbox makes `--deliveries` edits in
PCO, each firing the delivery PCO would send, in PCO's shape: person updates (several for the
same people), emails, phone numbers and addresses created, updated and a few destroyed,
households renamed or given a member, group memberships made or given another role. Edits are
a second apart in the sandbox's clock (as an admin's edits are; two edits of one record in the
same second are told apart by a read from PCO, see services/webhooks/batch.py).
The deliveries, plus 20% duplicates and 10% with bad signatures, are sent by concurrent clients:
it prints accepted deliveries/s and p50/p99 latency. Then it times `flask worker --burst`
applying them and counts the worker's requests to PCO per delivery.
`--db-latency-ms N` (with --database-url): the endpoint and the worker reach PostgreSQL through
benchmarks/db_proxy.py, each direction delayed N ms (a network's round trip).
`--json`: the last line is one JSON object of named figures.
"""
import hashlib
import hmac
import http.client
import itertools
import json
import random
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor

import requests

from pco_sandbox import create_sandbox_app
from pco_sandbox.server import start_sandbox_in_thread
from pco_sandbox.webhooks import LOG_LIMIT

from . import harness, round_trips

SECRET = "benchmark-webhook-secret"
UNREACHABLE = "http://127.0.0.1:9/api/pco-webhook"
# (kind of edit, share of the burst)
MIX = (("person", 40), ("email", 15), ("phone", 12), ("address", 10), ("household", 10),
       ("membership", 10), ("contact destroyed", 3))


def sandbox_admin(sandbox, method, path, body=None):
    answer = requests.request(method, sandbox.url + "/sandbox" + path, json=body, timeout=60)
    answer.raise_for_status()
    return answer.json()


class Editor:
    """Edits made in the sandbox's store as an admin makes them in PCO (each fires its
    webhook); a small pool of people gets most of them, so records get several deliveries."""

    def __init__(self, store, rng):
        self.store, self.rng = store, rng
        self.db = store.db
        people = sorted(self.db.people.rows)
        self.people = rng.sample(people, min(150, len(people)))
        self.households = sorted(self.db.households.rows)
        self.groups = sorted(self.db.groups.rows)
        self.counter = itertools.count()

    def edit(self, kind):
        getattr(self, kind.replace(" ", "_"))(self.rng.choice(self.people))

    def person(self, person_id):
        field = self.rng.choice(("nickname", "middle_name", "membership", "first_name"))
        self.store.update_person(person_id, {field: f"{field[:4]}{next(self.counter)}"})

    def _contact(self, kind, person_id, attributes):
        held = self.db.contacts_of(kind, person_id)
        if held and self.rng.random() < 0.6:
            self.store.update_contact(kind, self.rng.choice(held)["id"], attributes)
        else:
            self.store.create_contact(kind, person_id, dict(attributes, location="Home"))

    def email(self, person_id):
        self._contact("emails", person_id, {"address": f"b{next(self.counter)}@example.org"})

    def phone(self, person_id):
        self._contact("phone_numbers", person_id,
                      {"number": "555-%04d" % (next(self.counter) % 10000)})

    def address(self, person_id):
        self._contact("addresses", person_id, {"street_line_1": f"{next(self.counter)} Main St",
                                               "city": "Springfield", "zip": "12345"})

    def contact_destroyed(self, person_id):
        kind = self.rng.choice(("emails", "phone_numbers"))
        held = self.db.contacts_of(kind, person_id)
        if not held:
            return self.email(person_id)
        self.store.update_contact(kind, held[0]["id"], {"location": "Work"})
        self.store.delete_contact(kind, held[0]["id"])

    def household(self, person_id):
        household_id = self.rng.choice(self.households)
        members = {m["person_id"] for m in self.db.members_of_household(household_id)}
        if person_id not in members and self.rng.random() < 0.3:
            self.store.add_household_member(household_id, person_id, {})
        else:
            self.store.update_household(household_id, {"name": f"Home {next(self.counter)}"})

    def membership(self, person_id):
        group_id = self.rng.choice(self.groups)
        held = next((m for m in (self.db.group_memberships.rows[i]
                                 for i in self.db.person_groups.ids(person_id))
                     if m["group_id"] == group_id), None)
        if held is None:
            self.store.create_group_membership(group_id, person_id, {"role": "member"})
        else:
            role = "leader" if held["role"] == "member" else "member"
            self.store.update_group_membership(group_id, held["id"], {"role": role})


def harvest(sandbox, count, seed):
    """`count` real signed deliveries: edits in the sandbox, sent to a closed port (the
    sandbox's log keeps the bodies); its clock ticks a second per edit. In rounds well within
    the log's length (it keeps the last LOG_LIMIT), each round's deliveries taken from it."""
    store = sandbox.runtime.store
    ticks = itertools.count(int(time.time()))
    store.now = lambda: next(ticks)
    sandbox_admin(sandbox, "POST", "/config", {"webhook_url": UNREACHABLE,
                                               "webhook_secret": SECRET,
                                               "webhook_retry_delays": []})
    editor, rng = Editor(store, random.Random(seed)), random.Random(seed + 1)
    kinds, weights = zip(*MIX)
    bodies = []
    while len(bodies) < count:  # an edit that changes nothing fires nothing: top up
        # An edit fires at most a few deliveries (a new primary email demotes the old one).
        for _ in range(min(count - len(bodies), LOG_LIMIT // 4)):
            editor.edit(rng.choices(kinds, weights)[0])
        bodies += [d["body"].encode() for d in delivered(sandbox)]
        store.sent_deliveries.clear()  # the queue is drained: nothing is appending
    sandbox_admin(sandbox, "POST", "/config", {"webhook_url": None})
    return bodies[:count]


def delivered(sandbox):
    """Every delivery sent so far, once the sandbox's queue has drained (thousands of edits
    can take longer than one wait: asking again, never topping up while some are queued)."""
    while True:
        answer = sandbox_admin(sandbox, "GET", "/webhooks?wait=30")
        if answer["idle"]:
            return answer["deliveries"]


def sign(body, secret=SECRET):
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def build_requests(bodies, rng):
    """(body, signature, expected status): every delivery once, plus 20% duplicates and 10%
    badly signed ones, shuffled in among them."""
    planned = [(body, sign(body), 200) for body in bodies]
    total = round(len(bodies) / 0.7)
    extras = [(body, sign(body), 200) for body in rng.choices(bodies, k=round(total * 0.2))]
    extras += [(body, sign(body, "wrong-secret"), 401)
               for body in rng.choices(bodies, k=round(total * 0.1))]
    for item in extras:
        planned.insert(rng.randrange(len(planned) + 1), item)
    return planned


def send_slice(port, items):
    """One client process on one keep-alive connection: (seconds, status, expected) each."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    results = []
    for body, signature, expected in items:
        started = time.perf_counter()
        connection.request("POST", "/api/pco-webhook", body=body, headers={
            "Content-Type": "application/json", "X-PCO-Webhooks-Authenticity": signature})
        response = connection.getresponse()
        response.read()
        results.append((time.perf_counter() - started, response.status, expected))
    connection.close()
    return results


def fire(port, planned, clients):
    """Several client processes (a Python load generator must not be the bottleneck)."""
    slices = [planned[i::clients] for i in range(clients)]
    with ProcessPoolExecutor(clients) as pool:
        list(pool.map(int, range(clients)))  # the processes are up before the clock starts
        started = time.perf_counter()
        parts = list(pool.map(send_slice, [port] * clients, slices))
        seconds = time.perf_counter() - started
    return [r for part in parts for r in part], seconds


def prepare(args, database_url):
    sandbox = start_sandbox_in_thread(create_sandbox_app(
        {"SANDBOX_PEOPLE": 500, "SANDBOX_RATE_LIMIT": 0}))
    env = harness.app_environment(
        database_url, args.redis_url, LOG_LEVEL="ERROR",
        PCO_WEBHOOK_SECRET=SECRET, PCO_API_URL=sandbox.url, PCO_APP_ID="sandbox",
        PCO_SECRET="sandbox")
    harness.flask(env, "db", "upgrade")
    harness.flask(env, "pco", "pull", "all")
    return sandbox, env


def main():
    parser = harness.argument_parser(__doc__.splitlines()[0])
    parser.add_argument("--deliveries", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=4, help="client processes")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--db-latency-ms", type=float, default=0,
                        help="with --database-url: each direction to PostgreSQL delayed this "
                        "many ms (benchmarks/db_proxy.py)")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    args = parser.parse_args()
    latency = args.db_latency_ms if args.database_url else 0
    # A new database (SQLite, or on the server named), behind the proxy when asked; dropped after.
    with round_trips.database(args.database_url, latency) as database_url:
        figures = burst(args, database_url)
    harness.print_figures(args, dict(figures, db_latency_ms=latency))


def burst(args, database_url):
    sandbox, env = prepare(args, database_url)
    bodies = harvest(sandbox, args.deliveries, seed=1)
    print(f"burst: {len(bodies)} deliveries: " + ", ".join(
        f"{n} {name}" for name, n in Counter(event_of(b) for b in bodies).most_common()))
    planned = build_requests(bodies, random.Random(1))
    port = harness.free_port()
    web = harness.start_gunicorn(env, port, workers=args.workers, threads=args.threads)
    try:
        results, seconds = fire(port, planned, args.clients)
    finally:
        web.terminate()
        web.wait()
    try:
        figures = report_endpoint(results, seconds, len(bodies))
        figures.update(work(sandbox, env, len(bodies)))
    finally:
        sandbox.stop()
    return figures


def event_of(body):
    name = json.loads(body)["data"][0]["attributes"]["name"]
    return name.split(".events.")[-1]


def work(sandbox, env, deliveries):
    """The worker applies the burst; its requests to PCO are counted by the sandbox. Timed by
    its batch jobs' own start and end (RQ records them), and as a whole process (which adds the
    worker's start: importing the app, connecting, the sweep)."""
    requests.post(sandbox.url + "/sandbox/stats/reset", timeout=10).raise_for_status()
    started = time.perf_counter()
    harness.flask(env, "worker", "--burst")
    wall = time.perf_counter() - started
    busy, jobs = batch_job_seconds(env)
    pco_requests = requests.get(sandbox.url + "/sandbox/stats", timeout=10).json()["total"]
    statuses = delivery_statuses(env)
    print(f"worker: {deliveries} deliveries applied by {jobs} batch job(s) in {busy:.2f} s = "
          f"{deliveries / busy:.0f} deliveries/s ({wall:.1f} s = {deliveries / wall:.0f}/s "
          f"counting the worker process's start); {pco_requests} requests to PCO = "
          f"{pco_requests / deliveries:.3f} per delivery; deliveries {statuses}")
    return {"worker_deliveries": deliveries, "worker_seconds": round(busy, 2),
            "worker_deliveries_per_s": round(deliveries / busy),
            "worker_process_seconds": round(wall, 2),
            "worker_process_deliveries_per_s": round(deliveries / wall),
            "pco_requests": pco_requests,
            "pco_requests_per_delivery": round(pco_requests / deliveries, 4),
            "deliveries_by_status": statuses}


def batch_job_seconds(env):
    """(seconds the webhook batch jobs ran, how many ran), from RQ's finished jobs."""
    from redis import Redis
    from rq import Queue

    queue = Queue(env["RQ_QUEUE"], connection=Redis.from_url(env["REDIS_URL"]))
    jobs = [queue.fetch_job(job_id) for job_id in queue.finished_job_registry.get_job_ids()]
    jobs = [job for job in jobs if job is not None and job.func_name.endswith("process_webhooks")]
    return sum((job.ended_at - job.started_at).total_seconds() for job in jobs), len(jobs)


def delivery_statuses(env):
    from sqlalchemy import create_engine, text

    engine = create_engine(env["DATABASE_URL"])
    with engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT status, count(*) FROM webhook_deliveries GROUP BY status")).all()
    engine.dispose()
    return dict(sorted((status, count) for status, count in rows))


def report_endpoint(results, seconds, unique):
    latencies = [r[0] * 1000 for r in results]
    wrong = sum(1 for _, status, expected in results if status != expected)
    accepted = sum(1 for _, status, _ in results if status == 200)
    p50, p99 = harness.percentile(latencies, 0.5), harness.percentile(latencies, 0.99)
    print(f"endpoint: {len(results)} requests in {seconds:.2f} s = {len(results) / seconds:.0f} "
          f"requests/s, {accepted / seconds:.0f} accepted deliveries/s ({unique} unique); "
          f"latency p50 {p50:.1f} ms, p99 {p99:.1f} ms; unexpected statuses: {wrong}")
    return {"endpoint_requests": len(results), "endpoint_seconds": round(seconds, 2),
            "endpoint_requests_per_s": round(len(results) / seconds),
            "endpoint_accepted_per_s": round(accepted / seconds),
            "endpoint_p50_ms": round(p50, 2), "endpoint_p99_ms": round(p99, 2),
            "endpoint_unexpected_statuses": wrong}


if __name__ == "__main__":
    main()
