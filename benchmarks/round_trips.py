"""Round trips to PostgreSQL per page of a pull, and what they cost across a network.

    .venv/bin/python -m benchmarks.round_trips [--people 2000] [--db-latency-ms N]
                                               [--deliveries 500] [--by-statement [N]] [--json]
                                               [--database-url postgresql+psycopg://...]

A sandbox of --people (in a thread; rate limit off) and a new PostgreSQL database; then, each
counted with SQLAlchemy's before_cursor_execute (every statement sent, the round trip the
server answers): Sync People into the empty database (a first pull), Sync People again (every
page unchanged), Sync Families, Sync Groups, and a batch of --deliveries webhook deliveries
(edits made in the sandbox, recorded as the endpoint records them, applied by
webhooks.process.process_waiting as the worker does).
A page's statements are those from reading its records to reading the next page's (its
apply and its commit; benchmarks patch listing.load_records to see where a page starts);
the figure is the median page (the first and last are left out when there are more than two:
the first warms the choice caches, the last carries the archiving of those PCO no longer
lists). Custom fields: the statements of the definitions' pull (once per Sync People; the
values come with the people pages and are in their figure).
`--db-latency-ms N`: the database is reached through benchmarks/db_proxy.py, which delays
each direction by N ms (a round trip costs 2N); the wall times and people/s then show what
the round trips cost.
Target (issue 35): at most 12 statements per page of 100 people, first or unchanged, per
families page and per 100 webhook deliveries.
`--by-statement [N]`: also print, for each kind of page, the N statements sent most often
(their text shortened, a list of parameters folded into one), per page: where the round trips
go (the slower for it: each statement's text is looked at).
`--json`: pg_round_trips_per_page, pg_round_trips_unchanged_page, pg_round_trips_families_page,
pg_round_trips_groups_page, pg_round_trips_custom_fields, pg_round_trips_webhook_page (per
100 deliveries), and pg_people_per_s_first / pg_people_per_s_unchanged (wall time).
"""
import contextlib
import os
import re
import statistics
import tempfile
import time
from collections import Counter

from sqlalchemy import event
from sqlalchemy.engine import make_url

from benchmarks.db_proxy import proxied_url, proxy_process
from benchmarks.harness import (argument_parser, drop_database, fresh_database, migrated_app,
                                print_figures, redis_url_or_bundled)

LOCAL_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"


STATEMENT_WIDTH = 110
PARAMETER_LISTS = re.compile(r"\((?:\s*(?:%\(\w+\)s|\?|:\w+)\s*,?)+\)")
# With --by-statement: kind of page -> (Counter of statement texts, pages they were sent by).
by_statement = None


def statement_key(statement):
    """A statement's text, one line, its lists of parameters folded into `(...)`."""
    text = " ".join(statement.split())
    return PARAMETER_LISTS.sub("(...)", text)[:STATEMENT_WIDTH]


class PageCounter:
    """Statements sent, split where each page's records are read (listing.load_records);
    with `texts`, their texts counted too (whole: all of them; page_texts: each page's)."""

    def __init__(self, engine, texts=False):
        from pcosync.services.pull import listing, notes

        # Every module that calls load_records itself (the Notes step pages on its own).
        self.engine, self.modules = engine, (listing, notes)
        self.whole, self.page_texts = (Counter(), []) if texts else (None, None)
        self.total, self.pages, self._original = 0, [], listing.load_records
        event.listen(engine, "before_cursor_execute", self._seen)

        def counted_load(*args, **kwargs):
            self.pages.append(0)
            if self.page_texts is not None:
                self.page_texts.append(Counter())
            return self._original(*args, **kwargs)
        for module in self.modules:
            module.load_records = counted_load

    def _seen(self, _conn, _cursor, statement, *_args):
        self.total += 1
        if self.pages:
            self.pages[-1] += 1
        if self.whole is not None:
            key = statement_key(statement)
            self.whole[key] += 1
            if self.page_texts:
                self.page_texts[-1][key] += 1

    def close(self):
        event.remove(self.engine, "before_cursor_execute", self._seen)
        for module in self.modules:
            module.load_records = self._original

    def counted_pages(self, values):
        """The pages the figure is taken from (see the docstring)."""
        return values[1:-1] if len(values) > 2 else values

    def per_page(self):
        pages = self.counted_pages(self.pages)
        return statistics.median(pages) if pages else 0

    def texts(self):
        """(Counter of texts, pages): those of the pages the figure counts, or all of them
        (one 'page') when no page was read."""
        pages = self.counted_pages(self.page_texts)
        if not pages:
            return self.whole, 1
        return sum(pages, Counter()), len(pages)


@contextlib.contextmanager
def counting(engine, kind=None):
    """Counts the statements sent meanwhile; with --by-statement, their texts under `kind`."""
    asked = by_statement is not None and kind is not None
    counter = PageCounter(engine, texts=asked)
    try:
        yield counter
    finally:
        counter.close()
        if asked:
            by_statement[kind] = counter.texts()


def run_kind(kind):
    """(seconds, records) of one run of `kind`, in this process."""
    from pcosync.extensions import db
    from pcosync.models import SyncRun
    from pcosync.services.runs.execute import execute_run
    from pcosync.services.runs.lifecycle import start_run

    started = time.perf_counter()
    run_id = start_run(kind, triggered_by="benchmark").id
    execute_run(run_id)
    seconds = time.perf_counter() - started
    db.session.expire_all()
    run = db.session.get(SyncRun, run_id)
    assert run.status == "COMPLETED", f"{kind} ended {run.status}"
    return seconds, run.created_count + run.updated_count + run.skipped_count


def pulls(engine):
    """The pulls' figures: statements per median page, and people/s on wall time."""
    from pcosync.services.pull import custom_fields

    figures, definitions = {}, []
    original_custom = custom_fields.pull_custom_fields

    def counted_custom(*args):
        with counting(engine) as counter:
            original_custom(*args)
        definitions.append(counter.total)
    custom_fields.pull_custom_fields = counted_custom
    import pcosync.services.pull.people as people_pull
    people_pull.pull_custom_fields = counted_custom
    try:
        for name, kind in (("per_page", "People"), ("unchanged_page", "People"),
                           ("families_page", "Families"), ("groups_page", "Groups")):
            with counting(engine, f"{kind} ({name.replace('_', ' ')})") as counter:
                seconds, records = run_kind(kind)
            figures[f"pg_round_trips_{name}"] = counter.per_page()
            if kind == "People":
                rate = "first" if name == "per_page" else "unchanged"
                figures[f"pg_people_per_s_{rate}"] = round(records / seconds)
                figures[f"pg_people_seconds_{rate}"] = round(seconds, 2)
    finally:
        custom_fields.pull_custom_fields = people_pull.pull_custom_fields = original_custom
    figures["pg_round_trips_custom_fields"] = definitions[0] if definitions else 0
    return figures


def webhook_batch(sandbox, engine, deliveries):
    """Statements per 100 deliveries applied by the worker's batch (the sandbox's edits,
    recorded as the endpoint records them)."""
    from benchmarks.webhooks import harvest
    from pcosync.services.webhooks import process, receive

    bodies = harvest(sandbox, deliveries, seed=1)
    for body in bodies:
        receive.record(body, {receive.ANY_EVENT})
    kind = f"webhook batch ({len(bodies)} deliveries; 'page': 100 of them)"
    with counting(engine, kind) as counter:
        started = time.perf_counter()
        process.process_waiting()
        seconds = time.perf_counter() - started
    if by_statement is not None:
        by_statement[kind] = (by_statement[kind][0], len(bodies) / 100)
    return {"pg_round_trips_webhook_page": round(counter.total * 100 / len(bodies), 1),
            "webhook_deliveries": len(bodies),
            "pg_webhook_deliveries_per_s": round(len(bodies) / seconds)}


@contextlib.contextmanager
def database(database_url, latency_ms):
    """A new database on the server, reached through the latency proxy when asked."""
    url = fresh_database(database_url)
    try:
        if not latency_ms:
            yield url
            return
        server = make_url(url)
        with proxy_process(server.host or "127.0.0.1", server.port or 5432, latency_ms) as port:
            yield proxied_url(url, port)
    finally:
        drop_database(url)


def measure(args):
    from pco_sandbox import create_sandbox_app
    from pco_sandbox.server import start_sandbox_in_thread

    folder = tempfile.mkdtemp(prefix="pcosync-bench-")
    redis_url, bundled = redis_url_or_bundled(args.redis_url, folder)
    sandbox = start_sandbox_in_thread(create_sandbox_app(
        {"SANDBOX_PEOPLE": args.people, "SANDBOX_RATE_LIMIT": 0}))
    try:
        with database(args.database_url, args.db_latency_ms) as url:
            app = migrated_app(folder, redis_url, sandbox.url, url)
            app.config.update(SYNC_GUARD_PERCENT=100, PCO_WEBHOOK_SECRET="unused")
            with app.app_context():
                from pcosync.extensions import db

                figures = pulls(db.engine)
                if args.deliveries:
                    figures.update(webhook_batch(sandbox, db.engine, args.deliveries))
                db.session.remove()
                db.engine.dispose()
    finally:
        sandbox.stop()
        if bundled is not None:
            bundled.terminate()
    return dict(figures, people=args.people, db_latency_ms=args.db_latency_ms)


def report(figures):
    print(f"{figures['people']:,} people into PostgreSQL, the database "
          f"{figures['db_latency_ms']} ms away each way; statements per page:")
    for name in ("per_page", "unchanged_page", "families_page", "groups_page",
                 "webhook_page"):
        key = f"pg_round_trips_{name}"
        if key in figures:
            print(f"  {name.replace('_', ' '):<16}{figures[key]:>8}")
    print(f"  custom fields' definitions (one pull): {figures['pg_round_trips_custom_fields']}")
    print(f"  people/s on wall time: first {figures['pg_people_per_s_first']:,}, unchanged "
          f"{figures['pg_people_per_s_unchanged']:,}")


def report_statements(top):
    """The `top` statements sent most often by each kind of page, per page (--by-statement;
    the pages the figure counts: first and last left out when there are more than two)."""
    for kind, (texts, pages) in by_statement.items():
        print(f"\n{kind}: {sum(texts.values()) / pages:.1f} statements per page on average "
              f"over {pages:g} page(s); the most frequent, per page:")
        for text, count in texts.most_common(top):
            print(f"  {count / pages:>8.1f}  {text}")


def main():
    parser = argument_parser(__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=2000)
    parser.add_argument("--deliveries", type=int, default=500,
                        help="webhook deliveries in the batch counted (0 skips it)")
    parser.add_argument("--db-latency-ms", type=float, default=0,
                        help="delay each direction to PostgreSQL by this many ms (a proxy)")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL",
                                                                 LOCAL_POSTGRES))
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL",
                                                              DEFAULT_REDIS_URL))
    parser.add_argument("--by-statement", type=int, nargs="?", const=8, default=0,
                        metavar="N", help="print the N statements (8 by default) each kind "
                        "of page sends most often")
    args = parser.parse_args()
    global by_statement
    by_statement = {} if args.by_statement else None
    figures = measure(args)
    report(figures)
    if by_statement:
        report_statements(args.by_statement)
    print_figures(args, figures)


if __name__ == "__main__":
    main()
