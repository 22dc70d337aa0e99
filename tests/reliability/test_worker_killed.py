"""Scenario 3: the worker dies during a Full Sync (SIGKILL, or Heroku's SIGTERM then SIGKILL):
the run ends FAILED, never stuck RUNNING, the slot is free and the next run converges."""
import random
from datetime import timedelta

import pytest

from pcosync.extensions import db
from pcosync.models import utcnow
from pcosync.services.runs.lifecycle import active_run, recover_stale_runs, start_run, start_step

from . import crash as scenario
from .helpers import NO_FAULTS

PEOPLE = 300  # three pages: the kill lands on the first or second
SLOW = dict(NO_FAULTS, latency=0.05)  # a few seconds of run to land in


@pytest.fixture
def status_of(admin_client):
    return lambda: admin_client.get("/sync/status").get_json()


@pytest.mark.slow
def test_sigkill_of_the_worker_group_fails_the_run_and_the_next_converges(
        app, make_sandbox, seed, status_of):
    server = make_sandbox(PEOPLE, seed, SANDBOX_FAULTS=SLOW)
    result = scenario.killed_mid_run(app, server, seed, random.Random(seed), "SIGKILL",
                                     status_of)
    print(f"seed={seed} {result}")
    assert "stopped responding" in result["error"]


@pytest.mark.slow
def test_heroku_sigterm_then_sigkill_fails_the_run_and_the_next_converges(
        app, make_sandbox, seed, status_of):
    server = make_sandbox(PEOPLE, seed, SANDBOX_FAULTS=SLOW)
    result = scenario.killed_mid_run(app, server, seed, random.Random(seed), "SIGTERM",
                                     status_of)
    print(f"seed={seed} {result}")
    # The work horse had its grace (scenario.SHUTDOWN_GRACE) to say why before the SIGKILL.
    assert "shut down" in result["error"]


def test_a_dead_runs_steps_end_with_it_even_if_they_beat_later(app):
    parent = start_run("Full Sync")
    step = start_step(parent, "People")  # its first beat is newer than the parent's last
    parent.heartbeat_at = utcnow() - timedelta(seconds=120)
    db.session.commit()
    assert {run.id for run in recover_stale_runs()} == {parent.id, step.id}
    assert [r.status for r in (parent, step)] == ["FAILED", "FAILED"]
    assert active_run() is None
