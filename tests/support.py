"""Helpers the tests share: plain functions, no fixtures (those are in tests/plugins/fixtures.py;
people, families and groups are built by tests/factories.py)."""
import functools
import os
import re
import shutil
import threading
import uuid

import flask_migrate
import psycopg
import requests
from sqlalchemy import select, text
from sqlalchemy.engine import make_url

from pcosync import create_app
from pcosync.extensions import db
from pcosync.models import SyncIssue, SyncRun
from pco_sandbox import create_sandbox_app
from pco_sandbox.server import start_sandbox_in_thread
from pcosync.services.runs.execute import execute_run
from pcosync.services.runs.lifecycle import start_run

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSWORD = "correct horse battery"
LOCAL_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
# Tables the initial migration seeds: kept between tests, everything else is emptied.
SEEDED_TABLES = {"roles", "permissions", "role_permissions", "alembic_version"}


# -- the app and its databases ----------------------------------------------------------------

def test_config(db_url, redis_url, tmp_path, **extra):
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "DATABASE_URL": db_url,
        "REDIS_URL": redis_url,
        "PCO_APP_ID": "sandbox",
        "PCO_SECRET": "sandbox",
        "PCO_WEBHOOK_SECRET": "test-webhook-secret",
        "PCO_API_URL": "http://127.0.0.1:9",
        "RQ_QUEUE": "pcosync-test",
        "WTF_CSRF_ENABLED": True,
        # The guard off: many tests pull or push while most records change. The guard's own
        # tests (tests/runs/test_guard.py) turn it on.
        "SYNC_GUARD_PERCENT": 100,
        # Two-factor sign-in off: admins log in with a password alone. Its own tests
        # (tests/notes/test_two_factor.py) turn it on.
        "REQUIRE_TWO_FACTOR": False,
        # Photos and files in the test's own folder, downloaded without a pause.
        "MEDIA_URL": "file://" + os.path.join(str(tmp_path), "media"),
        "MEDIA_DOWNLOAD_INTERVAL": 0,
    }
    config.update(extra)
    return config


@functools.cache
def postgres_url():
    """TEST_DATABASE_URL, else the machine's own PostgreSQL when it answers (TEST_DATABASE_URL=
    "" turns PostgreSQL off): `make test` covers both databases wherever it can."""
    if "TEST_DATABASE_URL" in os.environ:
        return os.environ["TEST_DATABASE_URL"] or None
    try:
        psycopg.connect(libpq_url(LOCAL_POSTGRES_URL), connect_timeout=2).close()
    except psycopg.Error:
        return None
    return LOCAL_POSTGRES_URL


def database_kinds():
    return ["sqlite", "postgresql"] if postgres_url() else ["sqlite"]


def upgrade(url):
    """Build the schema the way production does: `flask db upgrade`."""
    app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "x"})
    with app.app_context():
        flask_migrate.upgrade()
        db.engine.dispose()


def create_postgres_database(server_url, prefix="pcosync_test", template=None):
    """A fresh database on the server of `server_url` (empty, or a copy of the database at URL
    `template`); returns its URL."""
    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    copy = f' TEMPLATE "{make_url(template).database}"' if template else ""
    with psycopg.connect(libpq_url(server_url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"{copy}')
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(url):
    name = make_url(url).database
    server = make_url(url).set(database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(libpq_url(server), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def libpq_url(url):
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def copy_database(template_url, folder):
    """A database of its own for one test process, copied from a migrated template."""
    if template_url.startswith("sqlite:///"):
        path = os.path.join(folder, "test.db")
        shutil.copyfile(template_url.removeprefix("sqlite:///"), path)
        return "sqlite:///" + path
    # Connected to "postgres", not to the template: PostgreSQL copies only an idle database.
    server = make_url(template_url).set(database="postgres").render_as_string(hide_password=False)
    url = create_postgres_database(server, template=template_url)
    with psycopg.connect(libpq_url(server), autocommit=True) as conn:
        # A commit that does not wait for its WAL to reach the disk (0.85 -> 0.3 ms here): a
        # crash could lose the last commits of a database thrown away after the run anyway.
        conn.execute(f'ALTER DATABASE "{make_url(url).database}" SET synchronous_commit = off')
    return url


def drop_database(url):
    if url.startswith("postgresql"):
        drop_postgres_database(url)
    elif url.startswith("sqlite:///") and os.path.exists(url.removeprefix("sqlite:///")):
        os.unlink(url.removeprefix("sqlite:///"))


def empty_tables(engine):
    """Every row out but the seeded ones, ids restarting at 1: what TRUNCATE ... RESTART
    IDENTITY does, but DELETE is several times faster on PostgreSQL for tables this small. There
    only the tables holding rows and the sequences a test used are touched (most tests write a
    few tables of the fifty), found in two round trips; SQLite too empties only the tables
    holding rows (its ids restart by themselves in an empty table)."""
    names = [t.name for t in reversed(db.metadata.sorted_tables) if t.name not in SEEDED_TABLES]
    with engine.begin() as conn:
        filled = set(conn.exec_driver_sql(" UNION ALL ".join(
            f"SELECT '{name}' WHERE EXISTS (SELECT 1 FROM \"{name}\")" for name in names))
            .scalars())
        statements = [f'DELETE FROM "{name}"' for name in names if name in filled]
        if engine.dialect.name != "postgresql":
            for statement in statements:
                conn.exec_driver_sql(statement)
            return
        statements += [f'ALTER SEQUENCE "{seq}" RESTART' for seq in used_sequences(conn, names)]
        if statements:
            conn.exec_driver_sql("; ".join(statements))


# Held while a test's worker forks its work horse, and by every request the app serves over
# HTTP in this process (live_app): a horse forked while a server thread is inside SQLite
# inherits SQLite's locked WAL mutex and waits on it for ever.
FORK_LOCK = threading.RLock()
OWNED_SEQUENCES = {}  # database URL -> the sequences its tables own (the schema is fixed)


def used_sequences(conn, table_names):
    """The sequences of these tables that handed out an id since their last restart."""
    url = str(conn.engine.url)
    if url not in OWNED_SEQUENCES:
        OWNED_SEQUENCES[url] = frozenset(conn.execute(text(
            "SELECT seq.relname FROM pg_class seq JOIN pg_depend dep ON dep.objid = seq.oid "
            "JOIN pg_class tab ON tab.oid = dep.refobjid "
            "WHERE seq.relkind = 'S' AND dep.deptype IN ('a', 'i') AND tab.relname = ANY(:names)"),
            {"names": table_names}).scalars().all())
    used = conn.exec_driver_sql(
        "SELECT sequencename FROM pg_sequences WHERE last_value IS NOT NULL").scalars()
    return [seq for seq in used if seq in OWNED_SEQUENCES[url]]


# -- users and logins -------------------------------------------------------------------------

def make_user(email, role, password=PASSWORD):
    from pcosync.auth.service import create_user

    return create_user(email, password, role)


CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"'
                  r'|<meta name="csrf-token" content="([^"]+)"')


def csrf_from(html):
    """The CSRF token a page carries (in a form, or in its meta tag for the page's script)."""
    match = CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


def csrf_token(client, path="/login"):
    return csrf_from(client.get(path).get_data(as_text=True))


def login(client, email, password=PASSWORD):
    token = csrf_token(client)
    response = client.post("/login", data={"email": email, "password": password,
                                           "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


def log_in_as(client, user):
    """What a login through the form leaves behind (tests/web/test_auth.py tests the form
    itself), without its two requests: the user's last login, a UserSession row, and the
    session cookie holding its token, made for this client's address and browser."""
    from flask import session

    from pcosync.auth.session import start_session
    from pcosync.models import utcnow

    with client.application.test_request_context(environ_base=dict(client.environ_base)):
        user.last_login_at = utcnow()
        start_session(user)
        values = dict(session)
    with client.session_transaction() as stored:
        stored.update(values)
    return client


def login_with_two_factor(client, user, password=PASSWORD):
    """Log in where REQUIRE_TWO_FACTOR is on: the password, then enrolment (first time) or the
    current code of the user's secret. Returns the page the code step answered."""
    import pyotp

    login(client, user.email, password)
    token = csrf_token(client, "/login/two-factor")
    db.session.expire_all()
    secret = db.session.get(type(user), user.id).totp_secret
    return client.post("/login/two-factor", data={"csrf_token": token,
                                                  "code": pyotp.TOTP(secret).now()})


# -- the PCO sandbox over HTTP ----------------------------------------------------------------

def start_sandbox(people=150, seed=7, **settings):
    """A PCO sandbox served from a thread on a free port: `people` generated from `seed`, the
    rate limit off unless SANDBOX_RATE_LIMIT is given, any other SANDBOX_* setting as given."""
    config = {"SANDBOX_PEOPLE": people, "SANDBOX_SEED": seed, "SANDBOX_RATE_LIMIT": 0}
    config.update(settings)
    return start_sandbox_in_thread(create_sandbox_app(config))


def stop_sandbox(server):
    server.runtime.webhooks.configure(None, None)
    server.stop()


def point_app_at(app, server, **extra):
    app.config.update(PCO_API_URL=server.url, PCO_APP_ID="sandbox", PCO_SECRET="sandbox",
                      PCO_UPLOAD_URL=server.url + "/upload/v2/files", **extra)


def sandbox_admin(server, method, path, body=None, timeout=30):
    """The sandbox's admin routes (/sandbox/...): its dump, stats, config, mutations."""
    response = requests.request(method, server.url + "/sandbox" + path, json=body,
                                timeout=timeout)
    response.raise_for_status()
    return response.json() if response.content else None


def dump(server):
    return sandbox_admin(server, "GET", "/dump")


def stats(server):
    return sandbox_admin(server, "GET", "/stats")


def reset_stats(server):
    sandbox_admin(server, "POST", "/stats/reset")


def pco_person(server, pco_id):
    return next(p for p in dump(server)["people"] if p["id"] == str(pco_id))


def send_webhooks_to(server, app_server, secret):
    sandbox_admin(server, "POST", "/config", {
        "webhook_url": app_server.url + "/api/pco-webhook", "webhook_secret": secret,
        "webhook_retry_delays": [0.2, 0.5]})


def wait_for_webhooks(server, seconds=10):
    return sandbox_admin(server, "GET", f"/webhooks?wait={seconds}")


# -- runs and jobs ----------------------------------------------------------------------------

def work_burst(app):
    """Run every queued job with the production worker class (it forks a work horse)."""
    from pcosync.jobs.worker import run_worker

    db.session.commit()
    db.session.remove()  # the horse must not inherit a connection in use
    with FORK_LOCK:
        run_worker(app, burst=True)
    db.session.remove()  # see what the horse wrote


def run(kind, **options):
    """Start and execute a run in this process (`options`: start_run's, e.g. preview=True);
    returns the fresh SyncRun row."""
    run_id = start_run(kind, **options).id
    execute_run(run_id)
    db.session.expire_all()
    return db.session.get(SyncRun, run_id)


def issues(run_row):
    return db.session.scalars(select(SyncIssue).where(SyncIssue.run_id == run_row.id)).all()


def fresh(model, row_id):
    """The row as the database has it now (not the session's cached copy)."""
    db.session.expire_all()
    return db.session.get(model, row_id)
