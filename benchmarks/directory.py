"""How fast is the people directory with 50,000 people?

Builds a directory in a new database of its own (SQLite in a temporary folder, or, with
--database-url, a new database on that PostgreSQL server, dropped at the end) with bulk
inserts, then asks the app, through the Flask test client as a logged-in admin, for the people
list's first, middle (as its Next link asks, by key; and by page number) and last pages, and
searches by name prefix, last name, email and phone; prints p50/p95 milliseconds per kind of
request.

    .venv/bin/python -m benchmarks.directory
    .venv/bin/python -m benchmarks.directory --database-url \\
        postgresql+psycopg://postgres@127.0.0.1:5432/bench

Redis: $REDIS_URL, else the bundled one.
`--json`: the last line is one JSON object of named figures (`<kind>_p50_ms`, `<kind>_p95_ms`).
"""
import os
import random
import re
import statistics
import time
from datetime import date, datetime, timedelta, timezone

import flask_migrate
from sqlalchemy import func, insert, select, text

from pcosync import create_app
from pcosync.extensions import db
from pcosync.models import Email, Person, PhoneNumber
from pco_sandbox import namebank
from pcosync.models.keys import email_key, name_key, phone_digits
from pcosync.services.directory import keyset
from pcosync.services.directory.people import PEOPLE_ORDER, people_row_key

from .harness import argument_parser, drop_database, fresh_database, print_figures

BATCH = 5000
PASSWORD = "benchmark-password"
ADMIN = "bench-admin@example.org"


def parse_args(argv=None):
    parser = argument_parser(__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="a PostgreSQL server to make a new database on "
                        "(its database name is not used); default: SQLite in a temporary folder")
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=20, help="timed requests per kind")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--explain", action="store_true", help="print the query plans too")
    return parser.parse_args(argv)


def make_app(url):
    config = {"TESTING": True, "SECRET_KEY": "benchmark", "DATABASE_URL": url,
              "REQUIRE_TWO_FACTOR": False,  # the benchmark measures pages, not the login
              "PCO_APP_ID": "sandbox", "PCO_SECRET": "sandbox"}
    if os.environ.get("REDIS_URL"):
        config["REDIS_URL"] = os.environ["REDIS_URL"]
    return create_app(config)


# -- building the data ------------------------------------------------------------------------

def person_rows(count, rng):
    now = datetime.now(timezone.utc)
    for person_id in range(1, count + 1):
        male = rng.random() < 0.5
        first = rng.choice(namebank.MALE_FIRST_NAMES if male else namebank.FEMALE_FIRST_NAMES)
        last = rng.choice(namebank.LAST_NAMES)
        yield {"id": person_id, "first_name": first, "last_name": last,
               "gender": "M" if male else "F", "status": "active", "child": False,
               "birthdate": date(1940, 1, 1) + timedelta(days=rng.randrange(80 * 365)),
               "search_name": name_key(first, last), "created_at": now, "updated_at": now,
               "archived_at": now if rng.random() < 0.02 else None}


def contact_rows(people, rng):
    """An email for nearly everyone, a phone for most, as (emails, phones)."""
    emails, phones, now = [], [], datetime.now(timezone.utc)
    common = {"is_primary": True, "created_at": now, "updated_at": now}
    for row in people:
        if rng.random() < 0.95:
            local = re.sub(r"[^a-z]", "", f"{row['first_name']}.{row['last_name']}".lower())
            address = f"{local}{row['id']}@{rng.choice(namebank.EMAIL_DOMAINS)}"
            emails.append({"person_id": row["id"], "address": address,
                           "normalized": email_key(address), "location": "Home", **common})
        if rng.random() < 0.8:
            number = f"{rng.choice(namebank.AREA_CODES)}-555-{row['id'] % 10_000:04d}"
            phones.append({"person_id": row["id"], "number": number,
                           "digits": phone_digits(number), "location": "Mobile", **common})
    return emails, phones


def bulk_insert(model, rows):
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(model), rows[start:start + BATCH])


def build(count, seed):
    """Insert `count` people with contact points; returns the seconds it took."""
    started = time.perf_counter()
    rng = random.Random(seed)
    people = list(person_rows(count, rng))
    emails, phones = contact_rows(people, rng)
    bulk_insert(Person, people)
    bulk_insert(Email, emails)
    bulk_insert(PhoneNumber, phones)
    if db.engine.dialect.name == "postgresql":
        # Explicit ids were inserted: move the sequences on so the app's own inserts work.
        for table in ("people", "emails", "phone_numbers"):
            db.session.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"))
        db.session.execute(text("ANALYZE"))
    db.session.commit()
    return time.perf_counter() - started


# -- measuring --------------------------------------------------------------------------------

def logged_in_client(app):
    from pcosync.auth.service import create_user

    create_user(ADMIN, PASSWORD, "TECH_ADMIN")
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"email": ADMIN, "password": PASSWORD,
                                           "csrf_token": token})
    assert response.status_code == 302, "benchmark login failed"
    return client


def sample_queries(rng, count):
    """Per kind of request (its figure's name: its label and `count` paths to ask for, real
    values from the database)."""
    active = Person.archived_at.is_(None)
    last_page = -(-db.session.scalar(select(func.count()).where(active)) // 50)
    middle = last_page // 2  # the deepest OFFSET: later pages are read from the other end
    # What "Next" links to from the page before: the key of that page's last row (keyset).
    before_middle = db.session.scalars(
        select(Person).where(active).order_by(*PEOPLE_ORDER)
        .offset((middle - 1) * 50 - 1).limit(1)).one()
    middle_key = keyset.encode(people_row_key(before_middle))
    picks = db.session.execute(
        select(Person.first_name, Person.last_name, Email.normalized, PhoneNumber.digits)
        .join(Email, Email.person_id == Person.id).join(PhoneNumber,
                                                        PhoneNumber.person_id == Person.id)
        .where(active).order_by(Person.id).limit(2000)).all()
    picks = rng.sample(picks, count)
    return {
        "list_page_1": ("list page 1", ["/directory/people/"] * count),
        "list_page_middle": (f"list page {middle} (middle)",
                             [f"/directory/people/?page={middle}&after={middle_key}"] * count),
        "list_page_middle_by_number": (f"list page {middle} by number",
                                       [f"/directory/people/?page={middle}"] * count),
        "list_page_last": (f"list page {last_page} (last)",
                           [f"/directory/people/?page={last_page}"] * count),
        "search_name_prefix": ("search name prefix",
                               [f"/directory/people/?q={p[0][:3]}" if i % 2 else
                                f"/directory/people/?q={p[0]}+{p[1][:2]}"
                                for i, p in enumerate(picks)]),
        "search_last_name": ("search last name",
                             [f"/directory/people/?q={p[1][:4]}" for p in picks]),
        "search_email": ("search email", [f"/directory/people/?q={p[2]}" for p in picks]),
        "search_phone": ("search phone", [f"/directory/people/?q={p[3][:7]}" for p in picks]),
    }


def measure(client, paths):
    for path in paths[:2]:  # warm up caches and the connection pool
        client.get(path)
    timings = []
    for path in paths:
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
        assert b"/directory/people/" in response.data
    return timings


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def explain(sample):
    """The plans of the list and search queries, to see the indexes at work."""
    from sqlalchemy import and_, tuple_

    from pcosync.services.directory.search import person_condition

    base = select(Person.id).where(Person.archived_at.is_(None)).order_by(
        *PEOPLE_ORDER).limit(50)
    # What a Next link asks (keyset.py): the rows after a key.
    after = and_(PEOPLE_ORDER[0] >= "M", tuple_(*PEOPLE_ORDER) > tuple_("M", "", 0))
    prefix = "EXPLAIN QUERY PLAN " if db.engine.dialect.name == "sqlite" else "EXPLAIN "
    queries = [("list by key", base.where(after)), ("list by page number", base.offset(40_000))]
    queries += [(kind, base.where(person_condition(value))) for kind, value in sample.items()]
    for label, query in queries:
        compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
        rows = db.session.execute(text(prefix + str(compiled))).all()
        print(f"\n-- {label}\n" + "\n".join(" ".join(str(c) for c in row) for row in rows))


def run(args):
    url = fresh_database(args.database_url)
    try:
        return measure_directory(make_app(url), args)
    finally:
        drop_database(url)


def measure_directory(app, args):
    with app.app_context():
        flask_migrate.upgrade()
        seconds = build(args.people, args.seed)
        print(f"{db.engine.dialect.name}: built {args.people:,} people with emails and phones "
              f"in {seconds:.1f} s")
        figures = {"database": db.engine.dialect.name, "people": args.people,
                   "build_seconds": round(seconds, 1), "requests_per_kind": args.requests}
        client = logged_in_client(app)
        rng = random.Random(args.seed)
        print(f"\n{'request':<28}{'p50 ms':>9}{'p95 ms':>9}   ({args.requests} requests each)")
        for kind, (label, paths) in sample_queries(rng, args.requests).items():
            timings = measure(client, paths)
            p50, p95 = statistics.median(timings), percentile(timings, 0.95)
            print(f"{label:<28}{p50:>9.1f}{p95:>9.1f}")
            figures.update({f"{kind}_p50_ms": round(p50, 2), f"{kind}_p95_ms": round(p95, 2)})
        if args.explain:
            explain({"name": "mary sm", "email": "mary.smith1@example.org", "phone": "614555"})
        db.session.remove()
        db.engine.dispose()
    return figures


def main(argv=None):
    args = parse_args(argv)
    print_figures(args, run(args))


if __name__ == "__main__":
    main()
