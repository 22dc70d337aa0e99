"""Sandbox fixtures: real servers on ephemeral ports (started by the shared `make_sandbox`, or
support.start_sandbox for the module-wide one), spoken to with `requests`."""
import pytest
import requests

from tests import support

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
def make_api(make_sandbox):
    """make_api(**SANDBOX_settings): a sandbox of 120 people (seed 1, the sandbox's default) on
    the shared `make_sandbox`, and an Api to it."""
    return lambda **settings: Api(make_sandbox(120, 1, **settings))


@pytest.fixture(scope="module")
def shared_api():
    """One read-mostly sandbox per test module (tests must not rely on its writes)."""
    server = support.start_sandbox(160, 1)
    yield Api(server)
    support.stop_sandbox(server)


@pytest.fixture
def api(make_api):
    return make_api()
