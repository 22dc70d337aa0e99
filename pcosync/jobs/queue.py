"""The queue and job policy. Each job declares its policy (timeout, retries) beside itself as a
JobPolicy; enqueue() applies it with the TTLs every job shares, as redash's job decorator does.
"""
import logging
from dataclasses import dataclass, field

from flask import current_app
from rq import Queue, Retry

from ..extensions import get_redis

log = logging.getLogger("pcosync.jobs")

RESULT_TTL = 24 * 60 * 60
FAILURE_TTL = 7 * 24 * 60 * 60
PENDING_JOB_STATES = ("queued", "started", "scheduled", "deferred")


class QueueUnavailable(Exception):
    pass


@dataclass(frozen=True)
class JobPolicy:
    """How long a job may run, and when RQ tries a failed one again (none: never)."""
    timeout: int
    retry_intervals: tuple = field(default=())

    def retry(self):
        return Retry(max=len(self.retry_intervals), interval=list(self.retry_intervals)) \
            if self.retry_intervals else None


def get_queue(app=None):
    app = app or current_app
    return Queue(app.config["RQ_QUEUE"], connection=get_redis(app))


def enqueue(func, *args, policy, job_id=None):
    job = get_queue().enqueue(
        func, *args, job_timeout=policy.timeout, job_id=job_id, result_ttl=RESULT_TTL,
        failure_ttl=FAILURE_TTL, retry=policy.retry())
    log.info("enqueued job=%s func=%s args=%s", job.id, func.__name__, args)
    return job


def enqueue_at(due, func, *args, policy, job_id):
    return get_queue().enqueue_at(due, func, *args, job_id=job_id, job_timeout=policy.timeout,
                                  result_ttl=RESULT_TTL, failure_ttl=FAILURE_TTL)
