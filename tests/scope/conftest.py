"""Scope tests: the push tests' write log (every write request the sandbox receives) and a
small sandbox church."""
import pytest

from tests.push.conftest import recorder  # noqa: F401 (a fixture)


@pytest.fixture
def sandbox_settings():
    return {"people": 40, "seed": 11}
