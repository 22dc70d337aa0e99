"""Reliability fixtures: a seed per test, named in the report of a failure. (Sandboxes with
PCO's faults come from the shared `make_sandbox`, which points the app at the newest one.)"""
import pytest

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
        test = f"{item.nodeid.split('::')[0]}::{item.name}"  # without xdist's @group
        report.sections.append(("reliability seed", f"seed={value}: rerun with "
                                f"{helpers.SEED_ENV}={value} pytest {test}"))
    return report
