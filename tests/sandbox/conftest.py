"""Sandbox fixtures: real servers on ephemeral ports, spoken to with `requests`."""
import pytest
import requests

from pcosync.sandbox import create_sandbox_app
from pcosync.sandbox.server import start_sandbox_in_thread

AUTH = ("sandbox", "sandbox")


class Api:
    """A tiny authenticated client: `api.get("/people/v2/people", params=...)`."""

    def __init__(self, server, auth=AUTH):
        self.server = server
        self.session = requests.Session()
        self.session.auth = auth

    def url(self, path):
        return path if path.startswith("http") else self.server.url + path

    def get(self, path, **kwargs):
        return self.session.get(self.url(path), timeout=10, **kwargs)

    def post(self, path, body=None, **kwargs):
        return self.session.post(self.url(path), json=body, timeout=10, **kwargs)

    def patch(self, path, body=None, **kwargs):
        return self.session.patch(self.url(path), json=body, timeout=10, **kwargs)

    def delete(self, path, **kwargs):
        return self.session.delete(self.url(path), timeout=10, **kwargs)

    def admin(self, method, path, body=None):
        return requests.request(method, self.server.url + "/sandbox" + path, json=body,
                                timeout=10)


@pytest.fixture
def make_sandbox():
    """Start sandboxes with given config; all are stopped after the test."""
    servers = []

    def start(**config):
        settings = {"SANDBOX_PEOPLE": 120, "SANDBOX_RATE_LIMIT": 0}
        settings.update(config)
        server = start_sandbox_in_thread(create_sandbox_app(settings))
        servers.append(server)
        return Api(server)

    yield start
    for server in servers:
        server.runtime.webhooks.configure(None, None)
        server.stop()


@pytest.fixture(scope="module")
def shared_api():
    """One read-mostly sandbox per test module (tests must not rely on its writes)."""
    server = start_sandbox_in_thread(create_sandbox_app(
        {"SANDBOX_PEOPLE": 160, "SANDBOX_RATE_LIMIT": 0}))
    yield Api(server)
    server.stop()


@pytest.fixture
def api(make_sandbox):
    return make_sandbox()
