"""Scenario 2: a storm of real, duplicated, forged and oversized webhook deliveries against the
app under gunicorn; each good one is applied exactly once and the result equals PCO."""
import random

import pytest

from pcosync.services.runs.execute import execute_run
from pcosync.services.runs.lifecycle import start_run

from . import storm as scenario
from tests.support import dump

from .helpers import assert_invariants

PEOPLE = 150
DELIVERIES = 138  # with duplicates, forgeries and oversized ones: about 200 requests (soak: 2,000)


@pytest.mark.slow
def test_webhook_storm_is_applied_exactly_once_and_converges(app, make_sandbox, seed):
    server = make_sandbox(PEOPLE, seed)
    assert execute_run(start_run("Full Sync").id) == "COMPLETED"
    deliveries = scenario.harvest(server, DELIVERIES, seed)
    app.config["PCO_WEBHOOK_SECRET"] = scenario.SECRET
    result = scenario.storm(app, server, deliveries, seed, random.Random(seed))
    print(f"seed={seed} {result}")
    assert_invariants(dump(server), seed)
