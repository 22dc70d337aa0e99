"""End-to-end fixtures: the PCO sandbox over real HTTP, and a real RQ worker in burst mode."""
import pytest
import requests

from pcosync.extensions import db
from pcosync.sandbox import create_sandbox_app
from pcosync.sandbox.server import start_sandbox_in_thread


@pytest.fixture
def sandbox(app):
    """A sandbox with 150 generated people (rate limit off), and the app pointed at it."""
    server = start_sandbox_in_thread(create_sandbox_app(
        {"SANDBOX_PEOPLE": 150, "SANDBOX_SEED": 7, "SANDBOX_RATE_LIMIT": 0}))
    app.config.update(PCO_API_URL=server.url, PCO_APP_ID="sandbox", PCO_SECRET="sandbox")
    yield server
    server.runtime.webhooks.configure(None, None)
    server.stop()


def sandbox_admin(server, method, path, body=None):
    response = requests.request(method, server.url + "/sandbox" + path, json=body, timeout=30)
    response.raise_for_status()
    return response.json() if response.content else None


def work_burst(app):
    """Run every queued job with the production worker class (it forks a work horse)."""
    from pcosync.worker import run_worker

    db.session.commit()
    db.session.remove()  # the horse must not inherit a connection in use
    run_worker(app, burst=True)
    db.session.remove()  # see what the horse wrote


@pytest.fixture
def live_app(app):
    """The app itself served over HTTP (the sandbox's server helper serves any WSGI app)."""
    server = start_sandbox_in_thread(app)
    yield server
    server.stop()


def send_webhooks_to(server, app_server, secret):
    sandbox_admin(server, "POST", "/config", {
        "webhook_url": app_server.url + "/api/pco-webhook", "webhook_secret": secret,
        "webhook_retry_delays": [0.2, 0.5]})


def wait_for_webhooks(server, seconds=10):
    return sandbox_admin(server, "GET", f"/webhooks?wait={seconds}")
