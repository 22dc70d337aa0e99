"""Start a run for the web page or the CLI: record it, then hand it to the worker."""
import redis as redis_lib

from .. import jobs
from ..queues import enqueue
from .runs.lifecycle import finish_run, start_run


class QueueUnavailable(Exception):
    pass


def start_in_worker(kind, triggered_by, user_id=None):
    """A RUNNING SyncRun with its job queued; RunAlreadyActive if one is going."""
    run = start_run(kind, triggered_by=triggered_by, user_id=user_id)
    try:
        job = enqueue(jobs.run_sync, run.id)
    except redis_lib.RedisError as err:
        finish_run(run, "FAILED", "The job queue (Redis) is unavailable; nothing was run.")
        raise QueueUnavailable("The job queue (Redis) is unavailable. Try again shortly.") from err
    run.job_id = job.id
    from ..extensions import db

    db.session.commit()
    return run
