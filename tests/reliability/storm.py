"""Scenario 2, webhook storm: real PCO deliveries (made by the sandbox from real edits) sent to
the app under gunicorn by concurrent clients, with duplicates, forged or damaged signatures,
out-of-order arrivals and oversized bodies mixed in. Then a worker applies them.

Used by tests/reliability/test_webhook_storm.py (~400 requests) and benchmarks/soak.py
(2,000 within a minute).
"""
import hashlib
import hmac
import http.client
import json
import logging
import random
import sys
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from rq import Queue
from sqlalchemy import func, select

from benchmarks import harness
from pcosync.extensions import db
from pcosync.models import WebhookDelivery
from pcosync.extensions import get_redis
from pcosync.services.webhooks.receive import MAX_BODY_BYTES

from tests.support import sandbox_admin, work_burst

from .helpers import Process, app_environment, seeded

SECRET = "storm-webhook-secret"
SHARES = {"duplicate": 0.20, "bad": 0.10, "oversized": 0.01}  # of all requests
OUT_OF_ORDER = 0.15  # of the good deliveries, sent later than their turn
FAULTS_TEXT = "20% duplicates, 10% bad signatures, 15% out of order, 1% oversized"
BAD_KINDS = ("wrong secret", "flipped byte", "re-serialised JSON", "missing header",
             "truncated digest")
UNREACHABLE = "http://127.0.0.1:9/api/pco-webhook"


@dataclass(eq=False)
class Planned:
    kind: str  # good, duplicate, oversized or one of BAD_KINDS
    delivery_id: str
    body: bytes
    signature: str | None
    expected: int


def sign(body, secret=SECRET):
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def harvest(server, wanted, seed):
    """At least `wanted` real signed deliveries: the sandbox makes edits (a batch at a time)
    and builds the webhooks PCO would send; they go to a closed port, and the sandbox's log
    keeps every body. Every one is kept: dropping one would drop a change."""
    sandbox_admin(server, "POST", "/config", {"webhook_url": UNREACHABLE,
                                              "webhook_secret": SECRET,
                                              "webhook_retry_delays": []})
    rng, sent = random.Random(seed), []
    while len(sent) < wanted:
        batch = max(1, min(50, (wanted - len(sent)) * 4 // 5))
        sandbox_admin(server, "POST", "/mutate", {"count": batch, "seed": rng.randrange(1 << 30)})
        sent = sandbox_admin(server, "GET", "/webhooks?wait=30")["deliveries"]
    sandbox_admin(server, "POST", "/config", {"webhook_url": None})
    return [(d["id"], d["body"].encode()) for d in sent]


def _rewritten(body, **changes):
    envelope = json.loads(body)
    item = envelope["data"][0]
    item["id"] = changes.get("delivery_id", item["id"])
    item["attributes"]["attempt"] = changes.get("attempt", item["attributes"]["attempt"])
    return json.dumps(envelope, separators=(",", ":")).encode()


def _bad(kind, body):
    """A delivery PCO never signed (a new id, so accepting it would add a row)."""
    fresh = _rewritten(body, delivery_id=str(uuid.uuid4()))
    if kind == "wrong secret":
        return fresh, sign(fresh, "not-" + SECRET)
    if kind == "flipped byte":
        at = fresh.index(b'"attempt"')
        return fresh[:at + 10] + b"7" + fresh[at + 11:], sign(fresh)
    if kind == "re-serialised JSON":
        return json.dumps(json.loads(fresh), indent=1).encode(), sign(fresh)
    if kind == "missing header":
        return fresh, None
    return fresh, sign(fresh)[:32]  # truncated digest


def _oversized(body):
    fresh = _rewritten(body, delivery_id=str(uuid.uuid4()))
    envelope = json.loads(fresh)
    envelope["data"][0]["attributes"]["padding"] = "x" * (MAX_BODY_BYTES + 1)
    big = json.dumps(envelope).encode()
    return big, sign(big)


def build_plan(deliveries, rng):
    """Every good delivery once, plus duplicates, bad and oversized requests in their shares;
    a share of the good ones moved later than their turn."""
    goods = [Planned("good", d_id, body, sign(body), 200) for d_id, body in deliveries]
    total = round(len(goods) / (1 - sum(SHARES.values())))
    extras = []
    for index in range(round(total * SHARES["duplicate"])):
        d_id, body = rng.choice(deliveries)
        again = _rewritten(body, attempt=2 + index % 3)
        extras.append(Planned("duplicate", d_id, again, sign(again), 200))
    for index in range(round(total * SHARES["bad"])):
        kind = BAD_KINDS[index % len(BAD_KINDS)]
        body, signature = _bad(kind, rng.choice(deliveries)[1])
        extras.append(Planned(kind, "", body, signature, 401))
    for _ in range(max(1, round(total * SHARES["oversized"]))):
        body, signature = _oversized(rng.choice(deliveries)[1])
        extras.append(Planned("oversized", "", body, signature, 413))
    plan = list(goods)
    for item in extras:
        plan.insert(rng.randrange(len(plan) + 1), item)
    for item in rng.sample(goods, round(len(goods) * OUT_OF_ORDER)):
        at = plan.index(item)
        plan.pop(at)
        plan.insert(rng.randrange(at, len(plan) + 1), item)
    return plan


def _send(port, items):
    """One client on one keep-alive connection (a new one after the server closes it)."""
    results, connection = [], None
    for item in items:
        connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Content-Type": "application/json"}
        if item.signature is not None:
            headers["X-PCO-Webhooks-Authenticity"] = item.signature
        try:
            connection.request("POST", "/api/pco-webhook", body=item.body, headers=headers)
            response = connection.getresponse()
            response.read()
            status, closing = response.status, response.getheader("Connection") == "close"
        except (ConnectionError, http.client.HTTPException):
            status, closing = "connection closed", True  # acceptable for oversized only
        if status != 200 or closing:
            connection.close()
            connection = None
        results.append((item, status))
    return results


def fire(port, plan, clients):
    slices = [plan[i::clients] for i in range(clients)]
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        parts = list(pool.map(lambda part: _send(port, part), slices))
    return [r for part in parts for r in part], time.perf_counter() - started


def start_web(app, workers=2, threads=4):
    """The real app under gunicorn as the Procfile's `web:` runs it (2 workers of 4 threads by
    default), on a free loopback port."""
    port = harness.free_port()
    web = Process([sys.executable, "-m", "gunicorn", "wsgi:app", "--bind", f"127.0.0.1:{port}",
                   "--workers", str(workers), "--threads", str(threads), "--worker-class",
                   "gthread", "--log-level", "warning"],
                  app_environment(app, PCO_WEBHOOK_SECRET=SECRET))
    harness.wait_for(f"http://127.0.0.1:{port}/login")
    return web, port


class Applied(logging.Handler):
    """Counts the worker's "webhook processed|ignored|failed" lines per delivery id (webhook
    jobs run inside the worker's own process, so in this one under work_burst)."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.outcomes = Counter()
        self._lock = threading.Lock()

    def emit(self, record):
        if str(record.msg).startswith("webhook %s delivery_id="):
            with self._lock:
                self.outcomes[(record.args[1], record.args[0])] += 1

    def __enter__(self):
        logging.getLogger("pcosync.webhooks").addHandler(self)
        return self

    def __exit__(self, *exc):
        logging.getLogger("pcosync.webhooks").removeHandler(self)


def check_answers(results):
    """The right status for each request; an oversized body may also be cut off mid-upload."""
    wrong = [(item.kind, item.expected, status) for item, status in results
             if status != item.expected
             and (item.kind, status) != ("oversized", "connection closed")]
    assert not wrong, f"{len(wrong)} unexpected answers, e.g. {wrong[:5]}"


def check_recorded(app, unique_ids):
    """Only good deliveries left a trace: one row each, and a batch job (the first delivery's
    job covers those recorded until it starts: a burst queues one, or a few)."""
    db.session.expire_all()
    ids = set(db.session.scalars(select(WebhookDelivery.delivery_id)).all())
    assert ids == unique_ids, f"rows {len(ids)} for {len(unique_ids)} good deliveries; " \
                              f"unexpected {sorted(ids - unique_ids)[:3]}"
    jobs = Queue(app.config["RQ_QUEUE"], connection=get_redis(app)).count
    assert 1 <= jobs <= 5, f"{jobs} jobs for {len(unique_ids)} good deliveries"


def check_applied_once(applied, unique_ids):
    counts = Counter(d_id for (d_id, _), n in applied.outcomes.items() for _ in range(n))
    twice = [d_id for d_id, n in counts.items() if n > 1]
    assert not twice, f"deliveries applied more than once: {twice[:5]}"
    assert set(counts) == unique_ids, f"{len(unique_ids - set(counts))} never applied"
    statuses = Counter(status for (_, status) in applied.outcomes.elements())
    assert set(statuses) <= {"processed", "ignored"}, statuses
    rows = dict(db.session.execute(select(WebhookDelivery.status, func.count())
                                   .group_by(WebhookDelivery.status)).all())
    assert set(rows) <= {"processed", "ignored"}, rows


def storm(app, server, deliveries, seed, rng, clients=4):
    """Send, check the answers and the records, let a worker apply, check exactly once."""
    plan = build_plan(deliveries, rng)
    unique_ids = {d_id for d_id, _ in deliveries}
    web, port = start_web(app)
    try:
        results, seconds = fire(port, plan, clients)
    finally:
        web.close()
    with seeded(seed):
        check_answers(results)
        check_recorded(app, unique_ids)
        with Applied() as applied:
            work_burst(app)
        check_applied_once(applied, unique_ids)
    answers = Counter(str(status) for _, status in results)
    return {"requests": len(plan), "seconds": round(seconds, 1), "answers": dict(answers),
            "applied once": len(unique_ids)}
