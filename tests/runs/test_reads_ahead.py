"""In a Full Sync, Sync Groups' requests are asked while Sync People writes its last pages
(services/runs/reads_ahead.py, pco/early_reads.py), and none of them twice. Both databases."""
import dataclasses
import threading

import pytest

from pcosync.services.runs import kinds
from tests.convergence import assert_converged
from tests.support import dump, reset_stats, run, stats

GROUPS_API = "GET /groups/v2/"


def groups_requests(sandbox):
    return {route: n for route, n in stats(sandbox)["by_route"].items()
            if route.startswith(GROUPS_API)}


def early_reader_done():
    for thread in threading.enumerate():
        if thread.name == "pco-early-reads":
            thread.join(timeout=30)


@pytest.fixture
def groups_alone(app, sandbox):
    """The requests Sync Groups sends when it runs alone (the people synced first)."""
    assert run("People").status == "COMPLETED"
    reset_stats(sandbox)
    assert run("Groups").status == "COMPLETED"
    return groups_requests(sandbox)


@pytest.fixture
def asked_when_groups_starts(sandbox, monkeypatch):
    """What PCO had been asked about groups when Sync Groups started, once the early reader
    (given the time: People waits for it) has read what it would."""
    seen, people, groups = {}, kinds.get("People"), kinds.get("Groups")

    def people_then_wait(client, progress):
        people.run(client, progress)
        early_reader_done()

    def noted(client, progress):
        seen.update(groups_requests(sandbox))
        groups.run(client, progress)
    monkeypatch.setitem(kinds._registry, "People",
                        dataclasses.replace(people, run=people_then_wait))
    monkeypatch.setitem(kinds._registry, "Groups", dataclasses.replace(groups, run=noted))
    return seen


def test_groups_are_read_before_their_step_and_nothing_is_asked_twice(
        app, sandbox, groups_alone, asked_when_groups_starts):
    reset_stats(sandbox)
    full_sync = run("Full Sync")
    assert full_sync.status == "COMPLETED", full_sync.error
    assert [step.kind for step in full_sync.steps][:2] == ["People", "Groups"]
    assert asked_when_groups_starts == groups_alone  # all of it read before the step started
    assert groups_requests(sandbox) == groups_alone  # and nothing asked again by the step
    assert_converged(dump(sandbox))


def test_without_waiting_for_the_reader_nothing_is_asked_twice(app, sandbox, groups_alone):
    reset_stats(sandbox)
    assert run("Full Sync").status == "COMPLETED"
    assert groups_requests(sandbox) == groups_alone
    assert not [t for t in threading.enumerate() if t.name == "pco-early-reads"]
    assert_converged(dump(sandbox))
