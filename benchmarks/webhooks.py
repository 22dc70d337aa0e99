"""Webhook endpoint under gunicorn on loopback, then the worker's processing throughput.

    .venv/bin/python -m benchmarks.webhooks [--deliveries 2000] [--clients 8]
                                            [--database-url postgresql+psycopg://...] [--json]

2,000 signed deliveries (20% duplicates, 10% bad signatures) are sent by concurrent clients;
it prints accepted deliveries/s, p50/p99 latency, then times `flask worker --burst` processing
the queue against the PCO sandbox (each delivery re-fetches its person, as in production) and
counts the worker's requests to PCO per delivery.
`--json`: the last line is one JSON object of named figures.
"""
import hashlib
import hmac
import json
import random
import time
import uuid
import http.client
from concurrent.futures import ProcessPoolExecutor

import requests

from pcosync.sandbox import create_sandbox_app
from pcosync.sandbox.server import start_sandbox_in_thread

from . import harness

SECRET = "benchmark-webhook-secret"


def delivery(person_id, delivery_id=None, attempt=1):
    payload = {"data": {"type": "Person", "id": person_id, "attributes": {
        "updated_at": "2099-01-01T00:00:00Z"}}, "included": [], "meta": {}}
    return json.dumps({"data": [{
        "id": delivery_id or str(uuid.uuid4()), "type": "EventDelivery",
        "attributes": {"name": "people.v2.events.person.updated", "attempt": attempt,
                       "payload": json.dumps(payload)}}]}).encode()


def build_requests(count, person_ids, rng):
    """(body, signature, expected status) for good, duplicate and badly signed deliveries."""
    sent, planned = [], []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.2 and sent:
            body = sent[rng.randrange(len(sent))]
            planned.append((body, sign(body), 200))
        elif roll < 0.3:
            body = delivery(rng.choice(person_ids))
            planned.append((body, sign(body, "wrong-secret"), 401))
        else:
            body = delivery(rng.choice(person_ids))
            sent.append(body)
            planned.append((body, sign(body), 200))
    return planned, len(sent)


def sign(body, secret=SECRET):
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


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
        started = time.perf_counter()
        parts = list(pool.map(send_slice, [port] * clients, slices))
        seconds = time.perf_counter() - started
    return [r for part in parts for r in part], seconds


def main():
    parser = harness.argument_parser(__doc__.splitlines()[0])
    parser.add_argument("--deliveries", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=4, help="client processes")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=2, help="threads per gunicorn worker")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    args = parser.parse_args()
    sandbox = start_sandbox_in_thread(create_sandbox_app(
        {"SANDBOX_PEOPLE": 500, "SANDBOX_RATE_LIMIT": 0}))
    env = harness.app_environment(
        harness.fresh_database(args.database_url), args.redis_url,
        PCO_WEBHOOK_SECRET=SECRET, PCO_API_URL=sandbox.url, PCO_APP_ID="sandbox",
        PCO_SECRET="sandbox")
    harness.flask(env, "db", "upgrade")
    harness.flask(env, "pco", "pull", "people")
    person_ids = [p["id"] for p in requests.get(sandbox.url + "/sandbox/dump").json()["people"]]
    planned, unique = build_requests(args.deliveries, person_ids, random.Random(1))
    port = harness.free_port()
    web = harness.start_gunicorn(env, port, workers=args.workers, threads=args.threads)
    try:
        results, seconds = fire(port, planned, args.clients)
    finally:
        web.terminate()
        web.wait()
    figures = report_endpoint(results, seconds, unique)
    requests.post(sandbox.url + "/sandbox/stats/reset", timeout=10).raise_for_status()
    started = time.perf_counter()
    harness.flask(env, "worker", "--burst")
    processing = time.perf_counter() - started
    pco_requests = requests.get(sandbox.url + "/sandbox/stats", timeout=10).json()["total"]
    sandbox.stop()
    print(f"worker: {unique} deliveries processed in {processing:.1f} s = "
          f"{unique / processing:.0f} deliveries/s; {pco_requests} requests to PCO = "
          f"{pco_requests / unique:.2f} per delivery (sandbox on loopback)")
    figures.update(worker_deliveries=unique, worker_seconds=round(processing, 2),
                   worker_deliveries_per_s=round(unique / processing),
                   pco_requests_per_delivery=round(pco_requests / unique, 2))
    harness.print_figures(args, figures)


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
