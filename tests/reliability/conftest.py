"""Reliability fixtures: a seed per test (named in the report of a failure), sandboxes with
PCO's faults, and the app served over HTTP."""
import pytest

from pcosync.sandbox import create_sandbox_app
from pcosync.sandbox.server import start_sandbox_in_thread
from tests.integration.conftest import live_app  # noqa: F401  (a fixture used here)

from . import helpers


@pytest.fixture
def seed(request):
    value = helpers.new_seed()
    request.node.reliability_seed = value
    return value


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    value = getattr(item, "reliability_seed", None)
    if value is not None and report.failed:
        report.sections.append(("reliability seed", f"seed={value}: rerun with "
                                f"{helpers.SEED_ENV}={value} pytest {item.nodeid}"))
    return report


@pytest.fixture
def make_sandbox(app):
    """Start sandboxes with the given settings; the app talks to the last one started."""
    servers = []

    def start(people, seed, **settings):
        config = {"SANDBOX_PEOPLE": people, "SANDBOX_SEED": seed, "SANDBOX_RATE_LIMIT": 0}
        config.update(settings)
        server = start_sandbox_in_thread(create_sandbox_app(config))
        servers.append(server)
        helpers.point_app_at(app, server)
        return server

    yield start
    for server in servers:
        server.runtime.webhooks.configure(None, None)
        server.stop()
