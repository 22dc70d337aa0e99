"""The duplicate finder as a job: a scan of a large directory takes longer than a request."""
import time

import redis as redis_lib
from rq import get_current_job
from rq.exceptions import NoSuchJobError
from rq.job import Job

from ..extensions import get_redis
from .queue import PENDING_JOB_STATES, JobPolicy, QueueUnavailable, enqueue

SCAN_POLICY = JobPolicy(timeout=30 * 60)
SCAN_JOB_ID = "duplicate-scan"  # one scan at a time: one job id
TELL_SECONDS = 0.5  # the job's progress is written to Redis at most this often


def scan_duplicates():
    """The worker's entry point: find the pairs again; returns how many are open."""
    from ..services.duplicates.pairs import scan

    return scan(progress=JobProgress(get_current_job()))


class JobProgress:
    """The scan's progress in its job's meta, where the finder's page reads it (scan_state)."""

    def __init__(self, job):
        self.job, self.told_at = job, 0.0

    def __call__(self, stage, done=0, total=0):
        now = time.monotonic()
        if self.job is None or (now - self.told_at < TELL_SECONDS and done < total):
            return
        self.told_at = now
        self.job.meta["progress"] = {"stage": stage, "done": done, "total": total}
        self.job.save_meta()


def scan_state():
    """{"running": bool, "stage", "done", "total"} of the latest scan; running is False when
    none waits or runs (or Redis can't say)."""
    try:
        job = Job.fetch(SCAN_JOB_ID, connection=get_redis())
        status = job.get_status()
    except (NoSuchJobError, redis_lib.RedisError):
        return {"running": False}
    progress = job.meta.get("progress") or {}
    waiting = {"stage": "Waiting for the worker", "done": 0, "total": 0}
    return {"running": status in PENDING_JOB_STATES,
            **(progress if progress or status not in PENDING_JOB_STATES else waiting)}


def start_duplicate_scan():
    """Queue a scan unless one is waiting or running; True when one was queued now."""
    try:
        try:
            job = Job.fetch(SCAN_JOB_ID, connection=get_redis())
            if job.get_status() in PENDING_JOB_STATES:
                return False
            job.delete()
        except NoSuchJobError:
            pass
        enqueue(scan_duplicates, policy=SCAN_POLICY, job_id=SCAN_JOB_ID)
    except redis_lib.RedisError as err:
        raise QueueUnavailable("The job queue (Redis) is unavailable. Try again shortly.") \
            from err
    return True
