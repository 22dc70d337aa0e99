"""Fixtures for the PCO tests: clients on a fake clock, so no test really waits."""
import pytest

from pcosync.pco.client import PCOClient
from tests.pco.helpers import BASE, FakeClock


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def make_client(clock):
    """Build a PCOClient on the fake clock; keyword arguments override the defaults."""
    clients = []

    def build(app_id="app-id-1", secret="s3cret", **kwargs):
        kwargs.setdefault("sleep", clock.sleep)
        kwargs.setdefault("clock", clock.time)
        client = PCOClient(app_id, secret, BASE, **kwargs)
        clients.append(client)
        return client

    yield build
    for client in clients:
        client.close()


@pytest.fixture
def client(make_client):
    return make_client()
