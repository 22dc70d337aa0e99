"""Sync run jobs: a pull or push started from the page, the CLI or a schedule, run by the
worker; a run the guard stopped gets its preview at once."""
import logging

import redis as redis_lib

from ..extensions import db
from ..models import RunStatus, SyncRun
from ..services.runs.lifecycle import finish_run, start_run
from .queue import JobPolicy, QueueUnavailable, enqueue

log = logging.getLogger("pcosync.jobs")

# A 50,000-person church at PCO's 100 requests / 20 s: 500 pages of people plus households,
# groups and memberships is well under an hour; 4 h leaves room for 429 back-offs.
SYNC_POLICY = JobPolicy(timeout=4 * 60 * 60)


def run_sync(run_id):
    """The worker's entry point of a run."""
    from ..services.runs.execute import execute_run

    status = execute_run(run_id)
    preview_stopped_run(run_id=run_id)
    continue_run(run_id)
    _media_after_quick_sync(run_id, status)
    return status


def continue_run(run_id):
    """A completed run that left work for another (an attendance pass paused at its time
    budget) queues that run at once; None when there is nothing to continue."""
    from ..models import SyncRun
    from ..services.runs import kinds
    from ..services.runs.lifecycle import RunAlreadyActive

    run = db.session.get(SyncRun, run_id)
    if run is None or run.preview or run.status != RunStatus.COMPLETED:
        return None
    follow_up = kinds.continuation(run.kind)
    if follow_up is None:
        return None
    try:
        return start_run_in_worker(follow_up, triggered_by=f"continuation of run {run.id}",
                                   user_id=run.user_id)
    except (RunAlreadyActive, QueueUnavailable) as err:
        log.warning("run %s not continued: %s", run.id, err)
        return None


def _media_after_quick_sync(run_id, status):
    """A Quick Sync that brought new photo or file addresses is followed by a Media step."""
    from ..services.runs import kinds
    from .media import queue_media_if_waiting

    run = db.session.get(SyncRun, run_id)
    if run is not None and run.kind == kinds.QUICK_SYNC and status == RunStatus.COMPLETED:
        queue_media_if_waiting(run.started_at, triggered_by=f"quick sync (run {run_id})")


def start_run_in_worker(kind, triggered_by, user_id=None, preview=False, confirmed=False):
    """A RUNNING SyncRun with its job queued; RunAlreadyActive if one is going. `preview`: a
    run that writes nothing; `confirmed`: past the guard ("Run anyway")."""
    run = start_run(kind, triggered_by=triggered_by, user_id=user_id, preview=preview,
                    confirmed=confirmed)
    try:
        job = enqueue(run_sync, run.id, policy=SYNC_POLICY)
    except redis_lib.RedisError as err:
        finish_run(run, RunStatus.FAILED, "The job queue (Redis) is unavailable; nothing was run.")
        raise QueueUnavailable("The job queue (Redis) is unavailable. Try again shortly.") from err
    run.job_id = job.id
    db.session.commit()
    return run


def preview_stopped_run(run_id=None, job_id=None):
    """A run the guard stopped (by id, or of an RQ job) gets its preview at once, same kind,
    so the admin finds on its page what it would have done; None if there is none to make."""
    from ..services.runs import guard
    from ..services.runs.lifecycle import RunAlreadyActive

    run = guard.stopped_by_guard(run_id=run_id, job_id=job_id)
    if run is None:
        return None
    try:
        preview = start_run_in_worker(run.kind, triggered_by=f"guard (run {run.id})",
                                      user_id=run.user_id, preview=True)
    except (RunAlreadyActive, QueueUnavailable) as err:
        log.warning("no preview of the run the guard stopped run_id=%s: %s", run.id, err)
        return None
    guard.link_preview(run, preview)
    return preview
