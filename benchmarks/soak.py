"""Reliability soak: the scenarios of tests/reliability at full volume, then a table of results.

    .venv/bin/python -m benchmarks.soak [--database-url postgresql+psycopg://postgres@127.0.0.1/x]
                                        [--seed N] [--only faulty,storm,...] [--json]

Each scenario starts from an empty database, an empty Redis (the bundled redis-server, which
the Redis scenario stops and starts) and a new sandbox, and ends with the invariants of
tests/reliability/helpers.py: nothing lost, no duplicates, convergence with the sandbox, every
delivery applied once. A failure prints its message and the seed that reproduces it.
`--json`: the last line is one JSON object of named figures (per scenario `<name>_passed` and
`<name>_seconds`; the storm's `storm_requests` and `storm_requests_seconds`).
"""
import logging
import os
import random
import shutil
import tempfile
import time
import traceback

from flask import g

from pcosync import create_app
from pcosync.extensions import db
from pcosync.extensions import get_redis
from pco_sandbox import create_sandbox_app
from pco_sandbox.server import start_sandbox_in_thread
from pcosync.services.runs.execute import execute_run
from pcosync.services.runs.lifecycle import start_run
from tests import support
from tests.reliability import crash, faulty_pco, hostile, outages, starts, storm
from tests.reliability.helpers import NO_FAULTS

from . import harness

PEOPLE = 3000


def admin_client(app):
    g.pop("csrf_token", None)
    client = app.test_client()
    support.login(client, support.make_user("soak-admin@example.org", "TECH_ADMIN").email)
    return client


def synced(app, server, kind="Full Sync"):
    assert execute_run(start_run(kind).id) == "COMPLETED"


def faulty(app, server, seed, redis):
    app.config["PCO_TIMEOUT"] = faulty_pco.CLIENT_TIMEOUT
    return faulty_pco.faulty_pco(app, server, seed)


def webhook_storm(app, server, seed, redis):
    synced(app, server)
    deliveries = storm.harvest(server, 1380, seed)
    app.config["PCO_WEBHOOK_SECRET"] = storm.SECRET
    result = storm.storm(app, server, deliveries, seed, random.Random(seed), clients=8)
    assert result["seconds"] < 60, f"2,000 requests took {result['seconds']} s"
    return result


def killed(sequence):
    def scenario(app, server, seed, redis):
        client = admin_client(app)
        return crash.killed_mid_run(app, server, seed, random.Random(seed), sequence,
                                    lambda: client.get("/sync/status").get_json())
    return scenario


def concurrent(app, server, seed, redis):
    live = start_sandbox_in_thread(app)  # serves any WSGI app over HTTP from a thread
    try:
        return starts.concurrent_starts(app, server, live.url, seed, clients=10)
    finally:
        live.stop()


def redis_down(app, server, seed, redis):
    synced(app, server)
    deliveries = storm.harvest(server, 500, seed)
    app.config["PCO_WEBHOOK_SECRET"] = storm.SECRET
    return outages.redis_down(app, server, redis, admin_client(app), deliveries, seed)


def busy_database(app, server, seed, redis):
    synced(app, server, "People")
    deliveries = storm.harvest(server, 700, seed)
    app.config["PCO_WEBHOOK_SECRET"] = storm.SECRET
    return outages.busy_database(app, server, admin_client(app), deliveries, seed, workers=3)


def hostile_records(app, server, seed, redis):
    return hostile.malformed_records(app, server, seed)


SLOW = {"SANDBOX_FAULTS": dict(NO_FAULTS, latency=0.05)}


def scenarios(people):
    """(name, volume, faults, function, sandbox settings) of each scenario."""
    return (
        ("faulty", f"{people:,} people, 3 Full Syncs", faulty_pco.FAULTS_TEXT, faulty,
         "faulty"),
        ("storm", "2,000 requests", storm.FAULTS_TEXT, webhook_storm, {}),
        ("sigkill", f"{people:,} people", "SIGKILL of worker + horse at a random page",
         killed("SIGKILL"), SLOW),
        ("sigterm", f"{people:,} people", "SIGTERM, then SIGKILL after 8 s",
         killed("SIGTERM"), SLOW),
        ("starts", "10 starts", "within 100 ms, 10 sessions", concurrent, {}),
        ("redis", "500 deliveries", "redis-server stopped, restarted", redis_down, {}),
        ("busy", f"{people:,} people + 700 deliveries", "Full Sync + webhooks, 3 workers",
         busy_database, {}),
        ("hostile", f"{people:,} people + {len(hostile.RECORDS)} bad records",
         "malformed JSON:API", hostile_records, {}),
    )


def sandbox_for(settings, people, seed):
    if settings == "faulty":
        settings = faulty_pco.sandbox_settings(people, seed)
    config = {"SANDBOX_PEOPLE": people, "SANDBOX_SEED": seed, "SANDBOX_RATE_LIMIT": 0}
    return start_sandbox_in_thread(create_sandbox_app(dict(config, **settings)))


def run_one(app, redis, scenario, people, seed):
    """One scenario from a clean slate; returns (passed, what happened in a few words, the
    scenario's own figures or None)."""
    name, _, _, function, settings = scenario
    server = sandbox_for(settings, people, seed)
    try:
        with app.app_context():
            support.empty_tables(db.engine)
            outages.use_redis(app, redis.url)
            get_redis(app).flushdb()
            support.point_app_at(app, server, PCO_TIMEOUT=30, SYNC_STALE_SECONDS=90)
            try:
                result = function(app, server, seed, redis)
                return True, "ok: " + brief(result), result
            except Exception as err:  # the table says what failed; the details go above it
                traceback.print_exc()
                return False, f"FAILED (seed {seed}): {str(err).splitlines()[0][:160]}", None
            finally:
                db.session.remove()
    finally:
        server.runtime.webhooks.configure(None, None)
        server.stop()


def brief(result):
    return ", ".join(f"{key}={value}" for key, value in result.items()
                     if key not in ("errors", "error", "run_id", "people_step_id"))[:160]


def quiet_logs(app):
    """The table is the output: the app's and RQ's log lines stay out of it."""
    for handler in logging.getLogger("pcosync").handlers + logging.getLogger().handlers:
        handler.setLevel(logging.ERROR)  # the root's: Alembic's logging config, from upgrade
    rq_logger = logging.getLogger("rq")
    rq_logger.addHandler(logging.NullHandler())
    rq_logger.propagate = False


def print_table(rows):
    headers = ("scenario", "volume", "faults", "seconds", "result")
    widths = [max(len(str(r[i])) for r in rows + [headers]) for i in range(4)]
    line = "  ".join(f"{{:<{w}}}" for w in widths) + "  {}"
    print(line.format(*headers))
    print(line.format(*("-" * w for w in widths), "-" * 6))
    for row in rows:
        print(line.format(*row))


def soak_figures(outcomes, people, seed):
    """outcomes: (name, passed, seconds, result) per scenario run."""
    figures = {"seed": seed, "people": people, "scenarios_run": len(outcomes),
               "scenarios_passed": sum(1 for _, passed, _, _ in outcomes if passed),
               "soak_seconds": round(sum(seconds for _, _, seconds, _ in outcomes), 1)}
    for name, passed, seconds, result in outcomes:
        figures.update({f"{name}_passed": passed, f"{name}_seconds": round(seconds, 1)})
        if name == "storm" and result:
            figures.update(storm_requests=result["requests"],
                           storm_requests_seconds=result["seconds"])
    return figures


def main():
    parser = harness.argument_parser(__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--people", type=int, default=PEOPLE)
    parser.add_argument("--only", default="", help="comma-separated scenario names")
    args = parser.parse_args()
    seed = args.seed or random.SystemRandom().randrange(1, 1_000_000)
    chosen = [s for s in scenarios(args.people) if not args.only or s[0] in args.only.split(",")]
    database_url = harness.fresh_database(args.database_url)
    support.upgrade(database_url)
    redis = outages.BundledRedis().start()
    app = create_app(support.test_config(database_url, redis.url, tempfile.mkdtemp(),
                                         RQ_QUEUE="soak"))
    quiet_logs(app)
    print(f"soak seed={seed} database={database_url.split('@')[-1]}", flush=True)
    rows, outcomes = [], []
    try:
        for scenario in chosen:
            started = time.perf_counter()
            passed, text, result = run_one(app, redis, scenario, args.people, seed)
            seconds = time.perf_counter() - started
            rows.append((*scenario[:3], f"{seconds:.0f}", text))
            outcomes.append((scenario[0], passed, seconds, result))
            print(f"{scenario[0]}: {text}", flush=True)
    finally:
        with app.app_context():
            db.engine.dispose()
        redis.close()
        if database_url.startswith("postgresql"):
            support.drop_postgres_database(database_url)
        elif args.database_url is None:  # the throwaway SQLite folder
            shutil.rmtree(os.path.dirname(database_url[len("sqlite:///"):]), ignore_errors=True)
    print()
    print_table(rows)
    harness.print_figures(args, soak_figures(outcomes, args.people, seed))


if __name__ == "__main__":
    main()
