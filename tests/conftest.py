"""Shared fixtures: app -> db -> client -> logged-in admin, on SQLite and (when
TEST_DATABASE_URL is set) PostgreSQL; a real Redis on its own database index, flushed."""
import os
import tempfile

import psycopg
import pytest
import redis as redis_lib
from sqlalchemy import create_engine, text

from pcosync import create_app
from pcosync.extensions import db
from tests import support

LOCAL_REDIS = "redis://127.0.0.1:6379"
LOCAL_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def find_postgres():
    """TEST_DATABASE_URL, else the machine's own PostgreSQL when it answers (TEST_DATABASE_URL=
    "" turns PostgreSQL off): `make test` covers both databases wherever it can."""
    if "TEST_DATABASE_URL" in os.environ:
        return os.environ["TEST_DATABASE_URL"] or None
    try:
        psycopg.connect("postgresql://postgres@127.0.0.1:5432/test", connect_timeout=2).close()
    except psycopg.Error:
        return None
    return LOCAL_POSTGRES_URL


POSTGRES_URL = find_postgres()
# Tables the initial migration seeds: kept between tests, everything else is emptied.
SEEDED_TABLES = {"roles", "permissions", "role_permissions", "alembic_version"}


def database_kinds():
    return ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]


@pytest.fixture(scope="session")
def redis_url():
    """The local Redis on a database index this session holds alone (concurrent test runs
    on one machine must not flush each other's queues); the bundled Redis if none answers."""
    if "TEST_REDIS_URL" in os.environ:
        yield os.environ["TEST_REDIS_URL"]
        return
    try:
        lock = redis_lib.Redis.from_url(LOCAL_REDIS, socket_connect_timeout=1)
        lock.ping()
    except redis_lib.RedisError:
        yield from bundled_redis_url()
        return
    index = claim_database_index(lock)
    yield f"{LOCAL_REDIS}/{index}"
    lock.delete(f"pcosync:test-db-claim:{index}")


def claim_database_index(lock):
    for index in range(1, 16):
        if lock.set(f"pcosync:test-db-claim:{index}", os.getpid(), nx=True, ex=3 * 3600):
            return index
    raise RuntimeError("every Redis database 1-15 is claimed by another test run")


def bundled_redis_url():
    from pcosync import bundled_redis

    folder = tempfile.mkdtemp(prefix="pcosync-redis-")
    process = bundled_redis.serve(os.path.join(folder, "redis.sock"), foreground=False)
    yield "unix://" + os.path.join(folder, "redis.sock") + "?db=1"
    process.terminate()


@pytest.fixture
def redis_client(redis_url):
    client = redis_lib.Redis.from_url(redis_url)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture(scope="session")
def database_urls(tmp_path_factory):
    """One migrated database per kind for the whole session."""
    urls = {"sqlite": "sqlite:///" + str(tmp_path_factory.mktemp("db") / "test.db")}
    if POSTGRES_URL:
        # A database of this session's own: parallel runs on one server never collide.
        urls["postgresql"] = support.create_postgres_database(POSTGRES_URL)
    for url in urls.values():
        support.upgrade(url)
    yield urls
    if POSTGRES_URL:
        support.drop_postgres_database(urls["postgresql"])


@pytest.fixture(params=database_kinds())
def db_url(request, database_urls):
    return database_urls[request.param]


@pytest.fixture
def app(db_url, redis_url, tmp_path):
    app = create_app(support.test_config(db_url, redis_url, tmp_path))
    with app.app_context():
        redis_lib.Redis.from_url(redis_url).flushdb()
        yield app
        db.session.remove()
        empty_tables(db.engine)
        redis_lib.Redis.from_url(redis_url).flushdb()
        db.engine.dispose()


def empty_tables(engine):
    tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in SEEDED_TABLES]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            names = ", ".join(t.name for t in tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(table.delete())


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def admin(app):
    return support.make_user("admin@example.org", "TECH_ADMIN")


@pytest.fixture
def staff(app):
    """A user who may edit the directory but not run syncs."""
    return support.make_user("staff@example.org", "STAFF")


@pytest.fixture
def admin_client(client, admin):
    support.login(client, admin.email)
    return client


@pytest.fixture
def staff_client(client, staff):
    support.login(client, staff.email)
    return client


def make_engine(url):
    return create_engine(url)
