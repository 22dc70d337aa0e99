"""Change history benchmark: what recording the history costs a first pull, and how fast one
person's history page is in a large history.

    .venv/bin/python -m benchmarks.history [--people 2000] [--rows 10000000] [--json]
                                           [--repeats 5] [--deliveries 500]
                                           [--database-url postgresql+psycopg://...]

Round trips: a Sync People of --people new people from the sandbox into a new PostgreSQL
database, once with the history paused and once recording it; every statement sent is counted
(SQLAlchemy's before_cursor_execute), per page of 100 people. The history adds one INSERT of
the page's "created" rows (bulk_create.record_created), not one per row.

`--repeats 5`: five first pulls each way, alternating; the median of people_per_s_first (as
the pull benchmark counts it: people per second of pcosync's own work, HTTP left out) without
and with the history.
`--deliveries N`: N signed deliveries (the webhooks benchmark's mix) applied by the worker's
batch in process, in a Full-Synced database with the history paused, then in a second one with
it recorded; every statement of the batch counted.

History page: --rows history rows generated on PostgreSQL with one INSERT ... SELECT
generate_series (a person per 1,000 rows, at most 10,000; a 30-day spread of changes, a mix of
sources; indexes and foreign keys built after the rows), ANALYZEd; then the first page of 50
random people's history read through the service the person page uses (views.page_of: 26
rows, newest first), each timed; p50 and p95.
Targets: the history adds at most one statement per page; the first page is under 50 ms at
p50 with 10 million rows.
`--json`: pg_round_trips_per_page, pg_round_trips_per_page_history, history_rows,
history_page_p50_ms, history_page_p95_ms (and the pulls' wall seconds); with --repeats,
people_per_s_first, people_per_s_first_history (and each run's); with --deliveries,
webhook_batch_statements, webhook_batch_statements_history (and per delivery).
"""
import contextlib
import math
import os
import random
import statistics
import tempfile
import time

from sqlalchemy import event, text

from benchmarks.harness import (
    argument_parser, drop_database, fresh_database, migrated_app, percentile, print_figures,
    redis_url_or_bundled,
)
from benchmarks.pull import DEFAULT_REDIS_URL, start_sandbox

LOCAL_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PEOPLE_PER_PAGE = 100
ROWS_PER_PERSON = 1000  # people: rows / this, at most 10,000 (10 million rows: 10,000 people)
MOST_PEOPLE = 10_000
SAMPLES = 50


class StatementCounter:
    def __init__(self, engine):
        self.count, self.engine = 0, engine
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args):
        self.count += 1

    def close(self):
        event.remove(self.engine, "before_cursor_execute", self._seen)


def first_pull(sandbox_url, redis_url, database_url, history, clock=None):
    """(statements, seconds, seconds on HTTP) of a Sync People into a new database."""
    from pcosync.extensions import db
    from pcosync.services.history.context import paused
    from pcosync.services.runs.execute import execute_run
    from pcosync.services.runs.lifecycle import start_run

    url = fresh_database(database_url)
    try:
        app = migrated_app(tempfile.mkdtemp(), redis_url, sandbox_url, url)
        app.config["SYNC_GUARD_PERCENT"] = 100
        with app.app_context():
            run_id = start_run("People", triggered_by="benchmark").id
            counter = StatementCounter(db.engine)
            started, http_before = time.perf_counter(), clock.seconds if clock else 0.0
            if history:
                execute_run(run_id)
            else:
                with paused():
                    execute_run(run_id)
            seconds = time.perf_counter() - started
            http = (clock.seconds if clock else 0.0) - http_before
            counter.close()
            db.session.remove()
            db.engine.dispose()
        return counter.count, seconds, http
    finally:
        drop_database(url)


def round_trips(people, redis_url, database_url, repeats=1):
    """Statements per page of a first pull with the history off and on; with `repeats` > 1,
    the median of that many pulls each way of people_per_s_first (the pull benchmark's: people
    per second of pcosync's own work, time on HTTP left out), the two alternating so that a
    busy machine's slow spell weighs on both."""
    from benchmarks.pull import HttpClock

    clock = HttpClock()
    sandbox, sandbox_url = start_sandbox(people, rate_limit=0)
    pulls = {False: [], True: []}
    try:
        for _ in range(max(1, repeats)):
            for history in (False, True):
                pulls[history].append(first_pull(sandbox_url, redis_url, database_url,
                                                 history, clock))
    finally:
        sandbox.terminate()
    pages = math.ceil(people / PEOPLE_PER_PAGE)
    plain, recorded = pulls[False][0], pulls[True][0]
    figures = {"pg_round_trips_per_page": round(plain[0] / pages, 2),
               "pg_round_trips_per_page_history": round(recorded[0] / pages, 2),
               "first_pull_seconds": round(plain[1], 2),
               "first_pull_seconds_history": round(recorded[1], 2)}
    if repeats > 1:
        figures.update(people_rates(people, pulls))
    return figures


def people_rates(people, pulls):
    def rates(runs):
        return [round(people / max(seconds - http, 1e-9)) for _, seconds, http in runs]

    plain, recorded = rates(pulls[False]), rates(pulls[True])
    return {"people_per_s_first_runs": plain, "people_per_s_first_history_runs": recorded,
            "people_per_s_first": statistics.median(plain),
            "people_per_s_first_history": statistics.median(recorded),
            "history_slowdown_percent": round(
                100 * (1 - statistics.median(recorded) / statistics.median(plain)), 1)}


def webhook_statements(people, count, redis_url, database_url):
    """Statements one webhook batch sends to apply `count` deliveries (the webhooks
    benchmark's mix of edits made in the sandbox, as PCO signs them), history off, then the
    same deliveries into a second database, pulled alike, with the history recorded."""
    from pco_sandbox import create_sandbox_app
    from pco_sandbox.server import start_sandbox_in_thread

    from benchmarks.webhooks import harvest

    sandbox = start_sandbox_in_thread(create_sandbox_app(
        {"SANDBOX_PEOPLE": people, "SANDBOX_RATE_LIMIT": 0}))
    urls = [fresh_database(database_url, suffix) for suffix in ("_off", "_on")]
    try:
        apps = [synced_app(sandbox.url, redis_url, url) for url in urls]
        bodies = harvest(sandbox, count, seed=1)
        plain, recorded = (apply_burst(app, bodies, history) for app, history in
                           zip(apps, (False, True)))
    finally:
        sandbox.stop()
        for url in urls:
            drop_database(url)
    return {"webhook_deliveries": len(bodies),
            "webhook_batch_statements": plain, "webhook_batch_statements_history": recorded,
            "webhook_statements_per_delivery": round(plain / len(bodies), 2),
            "webhook_statements_per_delivery_history": round(recorded / len(bodies), 2)}


def synced_app(sandbox_url, redis_url, database_url):
    from pcosync.extensions import db
    from pcosync.services.history.context import paused
    from pcosync.services.runs.execute import execute_run
    from pcosync.services.runs.lifecycle import start_run

    app = migrated_app(tempfile.mkdtemp(), redis_url, sandbox_url, database_url)
    app.config["SYNC_GUARD_PERCENT"] = 100
    with app.app_context(), paused():
        execute_run(start_run("Full Sync", triggered_by="benchmark").id)
        db.session.remove()
    return app


def apply_burst(app, bodies, history):
    """Record the deliveries as the endpoint does, then count what the batch sends."""
    from pcosync.extensions import db
    from pcosync.services.history.context import paused
    from pcosync.services.webhooks import receive
    from pcosync.services.webhooks.process import process_waiting

    with app.app_context():
        for body in bodies:
            receive.record(body, {receive.ANY_EVENT})
        counter = StatementCounter(db.engine)
        with contextlib.nullcontext() if history else paused():
            while process_waiting():
                pass
        counter.close()
        db.session.remove()
        db.engine.dispose()
    return counter.count


GENERATE = """
INSERT INTO field_changes (record_type, record_id, person_id, field, before, after, source,
                           run_id, changed_at)
SELECT 'Person', 1 + n % :people, 1 + n % :people,
       (ARRAY['nickname','last_name','first_name','gender','membership','status'])[1 + n % 6],
       'before ' || n, 'after ' || n,
       (ARRAY['pull','quick sync','webhook','push','directory','other'])[1 + (n / 7) % 6],
       NULL, now() - make_interval(secs => (n % 2592000))
FROM generate_series(1, :rows) AS n
"""


def generated_history(rows, people, database_url):
    """A migrated database holding `rows` history rows for `people` people."""
    url = fresh_database(database_url)
    app = migrated_app(tempfile.mkdtemp(), DEFAULT_REDIS_URL, "http://127.0.0.1:9", url)
    from pcosync.extensions import db

    with app.app_context():
        db.session.execute(text(
            "INSERT INTO people (first_name, last_name, status, child, search_name, created_at, "
            "updated_at) SELECT 'Person', 'No ' || n, 'active', false, 'person no ' || n, now(), "
            "now() FROM generate_series(1, :people) AS n"), {"people": people})
        started = time.perf_counter()
        with without_indexes(db.session.connection()):
            db.session.execute(text(GENERATE), {"people": people, "rows": rows})
        db.session.commit()
        db.session.execute(text("ANALYZE field_changes"))
        db.session.commit()
        print(f"generated {rows:,} history rows in {time.perf_counter() - started:.0f} s")
    return app, url


@contextlib.contextmanager
def without_indexes(connection):
    """The table's indexes and foreign keys made after the rows (as a restore does): building
    each once is minutes faster than keeping seven up to date row by row. The schema measured
    is the migrated one all the same."""
    from sqlalchemy.schema import AddConstraint, DropConstraint

    from pcosync.models import FieldChange

    table = FieldChange.__table__
    for index in table.indexes:
        index.drop(connection)
    for key in table.foreign_key_constraints:
        connection.execute(DropConstraint(key))
    yield
    for index in table.indexes:
        index.create(connection)
    for key in table.foreign_key_constraints:
        connection.execute(AddConstraint(key))


def history_page_timings(app, people):
    from pcosync.services.history import views

    rng, timings = random.Random(7), []
    with app.app_context():
        views.page_of("person", 1)  # a warm connection, as a running app has
        for _ in range(SAMPLES):
            person_id = rng.randint(1, people)
            started = time.perf_counter()
            page = views.page_of("person", person_id)
            timings.append((time.perf_counter() - started) * 1000)
            assert len(page.entries) == views.PAGE_SIZE
    return timings


def history_page(rows, database_url):
    people = max(1, min(MOST_PEOPLE, rows // ROWS_PER_PERSON))
    app, url = generated_history(rows, people, database_url)
    try:
        timings = history_page_timings(app, people)
    finally:
        with app.app_context():
            from pcosync.extensions import db

            db.engine.dispose()
        drop_database(url)
    return {"history_rows": rows, "history_page_p50_ms": round(statistics.median(timings), 2),
            "history_page_p95_ms": round(percentile(timings, 0.95), 2)}


def main():
    parser = argument_parser("Change history benchmark: its cost per page of a first pull, and "
                             "one person's history page in a large history (PostgreSQL).")
    parser.add_argument("--people", type=int, default=2000, help="people in the first pull")
    parser.add_argument("--rows", type=int, default=10_000_000, help="history rows generated")
    parser.add_argument("--repeats", type=int, default=1,
                        help="first pulls each way: 5 gives the median of people_per_s_first")
    parser.add_argument("--deliveries", type=int, default=0,
                        help="webhook deliveries in one batch, history off and on (0: none)")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL",
                                                                 LOCAL_POSTGRES))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL",
                                                              DEFAULT_REDIS_URL))
    args = parser.parse_args()
    redis_url, bundled = redis_url_or_bundled(args.redis_url, tempfile.mkdtemp())
    try:
        figures = round_trips(args.people, redis_url, args.database_url, args.repeats)
        print(f"first pull of {args.people:,} people, statements per page of 100: "
              f"{figures['pg_round_trips_per_page']} without history, "
              f"{figures['pg_round_trips_per_page_history']} with it")
        if args.repeats > 1:
            print(f"people_per_s_first, median of {args.repeats}: "
                  f"{figures['people_per_s_first']} without history "
                  f"{figures['people_per_s_first_runs']}, "
                  f"{figures['people_per_s_first_history']} with it "
                  f"{figures['people_per_s_first_history_runs']}")
        if args.deliveries:
            figures.update(webhook_statements(args.people, args.deliveries, redis_url,
                                              args.database_url))
            print(f"one webhook batch of {figures['webhook_deliveries']} deliveries: "
                  f"{figures['webhook_batch_statements']} statements without history, "
                  f"{figures['webhook_batch_statements_history']} with it")
        if args.rows:
            figures.update(history_page(args.rows, args.database_url))
            print(f"one person's first history page among {args.rows:,} rows: p50 "
                  f"{figures['history_page_p50_ms']} ms, p95 {figures['history_page_p95_ms']} ms")
    finally:
        if bundled is not None:
            bundled.terminate()
    print_figures(args, figures)


if __name__ == "__main__":
    main()
