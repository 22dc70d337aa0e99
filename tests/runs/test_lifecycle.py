"""A run's life against the sandbox: cancelled after the page in hand, one at a time, a dead one
(no heartbeat) recovered as FAILED."""
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select, update

from pcosync.extensions import db
from pcosync.models import Person, SyncRun, utcnow
from pcosync.services.runs.execute import execute_run
from pcosync.services.pull import people
from pcosync.services.runs.lifecycle import RunAlreadyActive, request_cancel, start_run
from tests.convergence import assert_converged
from tests.support import dump


def test_cancel_stops_after_the_current_page_and_keeps_it(app, sandbox):
    run = start_run("People")
    request_cancel(run.id)
    assert execute_run(run.id) == "CANCELLED"
    kept = db.session.scalar(select(func.count()).select_from(Person))
    assert kept == 100  # the first page, committed before the cancel was honoured
    assert execute_run(start_run("People").id) == "COMPLETED"
    assert db.session.scalar(select(func.count()).select_from(Person)) == 150


@pytest.mark.parametrize("kind", ["People", "Full Sync"])
def test_a_cancel_asked_elsewhere_mid_run_stops_it_at_the_next_page(
        app, sandbox, monkeypatch, kind):
    """The Sync page's process asks (another connection) once the first page is committed: the
    next page's checkpoint reads the request back from its own UPDATE of the run's row."""
    run_id = start_run(kind).id
    apply_page = people.apply_people_page

    def ask_elsewhere(_session):
        with db.engine.begin() as elsewhere:
            elsewhere.execute(update(SyncRun).where(SyncRun.id == run_id)
                              .values(cancel_requested=True))

    def apply_then_ask(records, progress, *page):
        if not event.contains(db.session(), "after_commit", ask_elsewhere):
            event.listen(db.session(), "after_commit", ask_elsewhere, once=True)
        return apply_page(records, progress, *page)
    monkeypatch.setattr(people, "apply_people_page", apply_then_ask)
    assert execute_run(run_id) == "CANCELLED"
    run = db.session.get(SyncRun, run_id)
    assert [step.kind for step in run.steps] == ([] if kind == "People" else ["People"])


def test_a_second_start_is_refused_while_one_runs(app, sandbox):
    first = start_run("People")
    try:
        start_run("Groups")
    except RunAlreadyActive as err:
        assert err.run.id == first.id and "already running" in str(err)
    else:
        raise AssertionError("a second run started")


def test_a_dead_run_is_recovered_as_failed_and_a_rerun_converges(app, sandbox):
    dead = start_run("Full Sync")
    dead.heartbeat_at = utcnow() - timedelta(minutes=10)
    db.session.commit()
    fresh = start_run("Full Sync")
    assert db.session.get(SyncRun, dead.id).status == "FAILED"
    assert "stopped responding" in db.session.get(SyncRun, dead.id).error
    assert execute_run(fresh.id) == "COMPLETED"
    assert_converged(dump(sandbox))
