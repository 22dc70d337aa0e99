"""Scenario 3, worker killed mid-run: a real `flask worker` (its own process group, so a kill
reaches the work horse too) is killed during a Full Sync at a random page, either at once
(SIGKILL: a crash, the OOM killer) or the way Heroku stops a dyno (SIGTERM, then SIGKILL
after a grace period). The run must end FAILED, never stay RUNNING; the slot must be free;
the next run must converge.

Used by tests/reliability/test_worker_killed.py and benchmarks/soak.py.
"""
import os
import signal
import time

from rq import Worker
from sqlalchemy import select

from pcosync.extensions import db, get_redis
from pcosync.models import Person, SyncRun
from pcosync.jobs import start_run_in_worker
from pcosync.services.runs.lifecycle import active_run

from tests.support import dump, sandbox_admin

from .faulty_pco import run_full_sync
from .helpers import (NO_FAULTS, assert_invariants, seeded, start_worker,
                      wait_until)

STALE_SECONDS = 2  # SYNC_STALE_SECONDS for the app and the worker (production: 90)
# WORKER_SHUTDOWN_GRACE_SECONDS: the horse's time after a SIGTERM (production: RQ's 6)
SHUTDOWN_GRACE = 2
PER_PAGE = 100


def records_done(run_id):
    """Records the run has committed so far (its counters are written page by page)."""
    db.session.expire_all()
    run = db.session.get(SyncRun, run_id)
    return run.created_count + run.updated_count + run.skipped_count


def kill_at_page(worker, server, run_id, page, sequence, grace):
    """Wait until `page` pages are committed, then stop the worker the way `sequence` says."""
    wait_until(lambda: records_done(run_id) >= page * PER_PAGE, 60, 0.02,
               f"page {page} of run {run_id}")
    if sequence == "SIGKILL":
        family = worker.signal_group(signal.SIGKILL)
    else:  # Heroku: SIGTERM to every process of the dyno, SIGKILL after the grace period
        family = worker.signal_group(signal.SIGTERM)
        # PCO slows down, so the run is still going when the horse's grace is up (a run that
        # ends within it simply completes).
        sandbox_admin(server, "POST", "/config", {"faults": {"latency": 1.0}})
        if worker.wait(grace) is None:
            family += worker.signal_group(signal.SIGKILL)
    worker.wait(10)
    assert family, "the worker had no work horse when it was stopped"
    wait_until(lambda: not any(_alive(pid) for pid in family), 10,
               message="the work horse to die")


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        with open(f"/proc/{pid}/stat") as handle:  # a zombie is dead, waiting to be reaped
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def wait_for_failed(status_of, run_id):
    """What an admin sees: the Sync page's status JSON stops showing the run as active, and
    the run ends FAILED, within the stale timeout (and a heartbeat) of the kill."""
    started = time.monotonic()
    wait_until(lambda: status_of()["active"] is None, STALE_SECONDS + 10, 0.2,
               f"run {run_id} to stop being active")
    db.session.expire_all()
    run = db.session.get(SyncRun, run_id)
    return run, time.monotonic() - started


def ready_worker(app):
    """A `flask worker` that has started listening: only then is the run queued, so the worker's
    start-up recovery never finds a queued run older than STALE_SECONDS (a slow start on a busy
    machine) and fails it before it began."""
    worker = start_worker(app, SYNC_STALE_SECONDS=STALE_SECONDS,
                          WORKER_SHUTDOWN_GRACE_SECONDS=SHUTDOWN_GRACE)

    def listening():
        return Worker.all(connection=get_redis(app)) or worker.popen.poll() is not None

    try:
        wait_until(listening, 60, message="the worker to listen")
    except AssertionError:
        worker.close()
        raise
    return worker


def killed_mid_run(app, server, seed, rng, sequence, status_of, grace=SHUTDOWN_GRACE + 2):
    """Kill during a Full Sync at a random page; returns what happened."""
    app.config["SYNC_STALE_SECONDS"] = STALE_SECONDS
    pages = len(dump(server)["people"]) // PER_PAGE
    page = rng.randint(1, max(1, pages - 1))
    worker = ready_worker(app)
    run_id = start_run_in_worker("Full Sync", triggered_by="reliability").id
    try:
        kill_at_page(worker, server, run_id, page, sequence, grace)
        log = worker.output()
    finally:
        worker.close()
    with seeded(seed):
        run, seconds = wait_for_failed(status_of, run_id)
        assert run.status == "FAILED", f"run {run_id} ended {run.status}: {log[-2000:]}"
        assert all(step.status != "RUNNING" for step in run.steps), \
            [(s.kind, s.status) for s in run.steps]
        assert active_run() is None
        outcome = (run.status, run.error)
        sandbox_admin(server, "POST", "/config", {"faults": NO_FAULTS})
        kept = db.session.scalar(select(db.func.count()).select_from(Person))
        again = run_full_sync(app)
        assert again.status == "COMPLETED", again.error
    assert_invariants(dump(server), seed)
    return {"killed at page": page, "people kept": kept, "run": outcome[0],
            "error": outcome[1], "seconds to FAILED": round(seconds, 1)}
