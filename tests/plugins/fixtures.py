"""The shared fixtures (registered by tests/conftest.py with `pytest_plugins`).

- app -> db -> client -> logged-in admin (or staff, or viewer), on SQLite and (when PostgreSQL
  answers, see support.postgres_url) PostgreSQL: every test that uses the database runs once per
  kind, except browser tests (marked `browser`: SQLite only, the database does not change what a
  browser sees). Each test process has databases of its own, copied from templates migrated
  once per run, and a real Redis database index of its own, flushed around each test.
- empty_database: a database without a schema, once per kind (the migration tests).
- make_sandbox / sandbox: the PCO sandbox over real HTTP (the one way tests start it).
- live_app / live_server: the app itself over HTTP.
- browser / page / logged_in_page: in tests/plugins/browser.py.
- Hypothesis profiles for the fuzz tests: "fixed" (the default: a fixed seed and few examples,
  for every run of the suite) and "long" (HYPOTHESIS_PROFILE=long: thousands, on demand).
"""
import contextlib
import fcntl
import functools
import json
import os
import tempfile
import uuid

import pytest
import redis as redis_lib
from hypothesis import HealthCheck, settings

from pcosync import bundled_redis, create_app
from pcosync.extensions import db
from pco_sandbox.server import start_sandbox_in_thread
from tests import support
from tests.plugins.cheap_setup import share_compiled_templates, share_engines_for

LOCAL_REDIS = "redis://127.0.0.1:6379"
RUN_ENV = "PCOSYNC_TEST_RUN"  # one test run's name, shared by its xdist workers
PROCESS_GROUP = "real-processes"
BROWSER_GROUP = "browser"
ONE_DATABASE = "one_database"
ONE_DATABASE_TESTS = {}  # nodeid -> reason, gathered from the reports for the summary

# Each example is an HTTP request that must answer within FUZZ_DEADLINE (a hang, not a speed
# bound: 1e1000000 held a worker 31 s). max_examples counts per fuzzed route or body shape.
FUZZ_DEADLINE_MS = 2000
FUZZ_HEALTH = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
               HealthCheck.data_too_large, HealthCheck.large_base_example]
settings.register_profile("fixed", derandomize=True, max_examples=2, database=None,
                          deadline=FUZZ_DEADLINE_MS, suppress_health_check=FUZZ_HEALTH,
                          print_blob=True)
settings.register_profile("long", max_examples=250, database=None, deadline=FUZZ_DEADLINE_MS,
                          suppress_health_check=FUZZ_HEALTH, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fixed"))


def is_xdist_worker():
    return "PYTEST_XDIST_WORKER" in os.environ


def serial_lane(nodeid):
    """The lane a test that starts real processes runs in, one after another, or None: the
    reliability suite (gunicorn, RQ workers, killed on purpose) in one, the browser tests
    (Chromium; files named *_browser.py) in another."""
    path = nodeid.split("::")[0]
    if path.startswith("tests/reliability/"):
        return PROCESS_GROUP
    return BROWSER_GROUP if path.endswith("_browser.py") else None


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """`--dist loadgroup`, grouping by path: the reliability scenarios run one after another on
    one worker, the browser tests one after another on another (two real-process scenarios at
    once on a 2-core machine starve each other's subprocesses into timeouts; one Chromium, not
    two), while the light tests share out over every worker. By path because pytest 9 ignores
    the nodeid suffix xdist's `xdist_group` mark relies on."""
    if config.getoption("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadGroupScheduling

    class ProcessGroupScheduling(LoadGroupScheduling):
        def _split_scope(self, nodeid):
            return serial_lane(nodeid) or nodeid

    return ProcessGroupScheduling(config, log)


# -- the run: its name, its template databases ------------------------------------------------

def pytest_configure(config):
    if not is_xdist_worker():  # workers inherit the controller's environment
        os.environ[RUN_ENV] = f"{os.getpid()}_{uuid.uuid4().hex[:8]}"


def pytest_unconfigure(config):
    if not is_xdist_worker():
        for url in templates_made().values():
            support.drop_database(url)
        for suffix in (".json", ".lock"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(run_file(suffix))


def run_file(suffix):
    return os.path.join(tempfile.gettempdir(), f"pcosync-tests-{os.environ[RUN_ENV]}{suffix}")


def templates_made():
    with contextlib.suppress(FileNotFoundError), open(run_file(".json")) as handle:
        return json.load(handle)
    return {}


@contextlib.contextmanager
def run_lock():
    """Held by one process of the run at a time (xdist workers share the templates)."""
    with open(run_file(".lock"), "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def migrate_templates():
    """One migrated database per kind for the whole run, made by the first process to ask."""
    templates = {"sqlite": "sqlite:///" + run_file(".db")}
    if support.postgres_url():
        templates["postgresql"] = support.create_postgres_database(
            support.postgres_url(), prefix="pcosync_template")
    with open(run_file(".json"), "w") as handle:
        json.dump(templates, handle)  # written first: a failed migration is still dropped
    for url in templates.values():
        support.upgrade(url)
    return templates


@pytest.fixture(scope="session")
def database_urls(tmp_path_factory):
    """This process's own databases, copies of the run's migrated templates: parallel test
    processes (and parallel runs on one server) never see each other's rows."""
    folder = str(tmp_path_factory.mktemp("db"))
    with run_lock():
        templates = templates_made() or migrate_templates()
        urls = {kind: support.copy_database(url, folder) for kind, url in templates.items()}
    share_engines_for(urls.values())
    yield urls
    for url in urls.values():
        support.drop_database(url)


def pytest_generate_tests(metafunc):
    """`database_kind`, which db_url needs, is a parameter: one test per kind of database, except
    for browser tests and tests marked `one_database` (SQLite alone)."""
    if "database_kind" in metafunc.fixturenames:
        definition = metafunc.definition
        once = definition.get_closest_marker("browser") or one_database_reason(definition)
        metafunc.parametrize("database_kind", ["sqlite"] if once else support.database_kinds())


def one_database_reason(item):
    """The reason a test marked `one_database(reason=...)` gives; None when it is not marked."""
    marker = item.get_closest_marker("one_database")
    if marker is None:
        return None
    reason = marker.kwargs.get("reason") or (marker.args[0] if marker.args else "")
    if not reason:
        raise pytest.UsageError(f"{item.nodeid}: one_database needs a reason")
    return reason


def pytest_collection_modifyitems(items):
    """The serial lanes first: xdist hands out work in collection order, and a lane of three
    minutes started late is a tail that one worker runs while the others wait. And the reason
    travels with each report (user_properties), so the controlling process of an xdist run,
    which collects nothing, can list the tests that ran on one database."""
    lane_order = {PROCESS_GROUP: 0, BROWSER_GROUP: 1}
    items.sort(key=lambda item: lane_order.get(serial_lane(item.nodeid), 2))
    for item in items:
        reason = one_database_reason(item)
        if reason:
            item.user_properties.append((ONE_DATABASE, reason))


def pytest_runtest_logreport(report):
    if report.when == "setup":
        reason = dict(report.user_properties).get(ONE_DATABASE)
        if reason:
            ONE_DATABASE_TESTS[report.nodeid] = reason


def pytest_terminal_summary(terminalreporter):
    """At the end of every run: which tests ran on one database only, and why."""
    if not ONE_DATABASE_TESTS:
        return
    terminalreporter.section(f"run on SQLite only (one_database): {len(ONE_DATABASE_TESTS)}")
    for nodeid, reason in sorted(ONE_DATABASE_TESTS.items()):
        terminalreporter.write_line(f"{nodeid}: {reason}")


@pytest.fixture
def db_url(database_kind, database_urls):
    return database_urls[database_kind]


@pytest.fixture(params=support.database_kinds())
def empty_database(request, tmp_path):
    """The URL of a database with no schema at all, once per kind, for migration tests."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path}/empty.db"
        return
    url = support.create_postgres_database(support.postgres_url(), prefix="pcosync_empty")
    yield url
    support.drop_postgres_database(url)


# -- Redis ------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def redis_url():
    """The local Redis on a database index this process holds alone (concurrent test runs and
    xdist workers must not flush each other's queues); the bundled Redis if none answers."""
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
    folder = tempfile.mkdtemp(prefix="pcosync-redis-")
    process = bundled_redis.serve(os.path.join(folder, "redis.sock"), foreground=False)
    yield "unix://" + os.path.join(folder, "redis.sock") + "?db=1"
    process.terminate()


@functools.cache
def flushing_client(redis_url):
    """One client per Redis URL for the process: the app fixture empties the test's database
    before and after each test, and a new client's connection cost 2 ms each time."""
    return redis_lib.Redis.from_url(redis_url)


@pytest.fixture
def redis_client(redis_url):
    client = redis_lib.Redis.from_url(redis_url)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


# -- the app, its clients and users -----------------------------------------------------------

@pytest.fixture
def app(db_url, redis_url, tmp_path):
    app = create_app(support.test_config(db_url, redis_url, tmp_path))
    share_compiled_templates(app)
    with app.app_context():
        flushing_client(redis_url).flushdb()
        yield app
        db.session.remove()
        support.empty_tables(db.engine)
        flushing_client(redis_url).flushdb()
        db.engine.dispose()


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
    return support.log_in_as(client, admin)


@pytest.fixture
def staff_client(client, staff):
    return support.log_in_as(client, staff)


@pytest.fixture
def viewer_client(client):
    """Logged in, but without people.manage."""
    return support.log_in_as(client, support.make_user("viewer@example.org", "VIEWER"))


# -- the PCO sandbox, the app over HTTP -------------------------------------------------------

@pytest.fixture
def make_sandbox(request):
    """make_sandbox(people=150, seed=7, **SANDBOX_settings) starts a PCO sandbox over HTTP
    (rate limit off unless set) and returns its server; all are stopped after the test. When the
    test has an app, the app talks to the sandbox started last."""
    servers = []

    def start(people=150, seed=7, **settings):
        server = support.start_sandbox(people, seed, **settings)
        servers.append(server)
        if "app" in request.fixturenames:
            support.point_app_at(request.getfixturevalue("app"), server)
        return server

    yield start
    for server in servers:
        support.stop_sandbox(server)


@pytest.fixture
def sandbox_settings():
    """make_sandbox's arguments for `sandbox`: override this fixture in a module or conftest,
    or parametrize it, for another sandbox."""
    return {}


@pytest.fixture
def sandbox(app, make_sandbox, sandbox_settings):
    """A sandbox the app talks to: 150 generated people (seed 7, rate limit off) by default."""
    return make_sandbox(**sandbox_settings)


@pytest.fixture
def live_app(app):
    """The app itself served over HTTP from a thread (the sandbox's server serves any WSGI
    app); `.url` is its base URL. Its pages poll for progress every 300 ms, not 3 s, so a
    browser sees a run move and end without waiting."""
    app.config["SYNC_PAGE_POLL_MS"] = 300
    served, app.wsgi_app = app.wsgi_app, _outside_forks(app.wsgi_app)
    server = start_sandbox_in_thread(app)
    yield server
    server.stop()
    app.wsgi_app = served


def _outside_forks(wsgi_app):
    """Each request served while no test worker is forking (support.FORK_LOCK)."""
    def serve(environ, start_response):
        with support.FORK_LOCK:
            return list(wsgi_app(environ, start_response))
    return serve


@pytest.fixture
def live_server(live_app):
    """live_app's base URL, "http://127.0.0.1:PORT"."""
    return live_app.url
