"""The only place that enqueues, and the only place that sets job policy (queue, timeouts,
TTLs, retries, job ids), as redash's job decorator does. Entry points take ids only; the
worker runs them inside the app context (see `flask worker`). Callers are the blueprints and
the CLI: services never enqueue.
"""
import logging

import redis as redis_lib
from flask import current_app
from rq import Queue, Retry

from .extensions import db
from .models import RunStatus
from .redis_connection import get_redis
from .services.runs.lifecycle import finish_run, start_run
from .services.webhooks import receive

log = logging.getLogger("pcosync.jobs")

# A 50,000-person church at PCO's 100 requests / 20 s: 500 pages of people plus households,
# groups and memberships is well under an hour; 4 h leaves room for 429 back-offs.
SYNC_JOB_TIMEOUT = 4 * 60 * 60
WEBHOOK_JOB_TIMEOUT = 5 * 60
RESULT_TTL = 24 * 60 * 60
FAILURE_TTL = 7 * 24 * 60 * 60
WEBHOOK_RETRY_INTERVALS = [10, 60, 300]
PENDING_JOB_STATES = ("queued", "started", "scheduled", "deferred")


class QueueUnavailable(Exception):
    pass


# Entry points: what the worker runs.

def run_sync(run_id):
    from .services.runs.execute import execute_run

    return execute_run(run_id)


def process_webhook(delivery_row_id):
    from .services.webhooks.process import process_delivery

    return process_delivery(delivery_row_id)


# Policy.

def get_queue(app=None):
    app = app or current_app
    return Queue(app.config["RQ_QUEUE"], connection=get_redis(app))


def _enqueue(func, *args, job_timeout, job_id=None, retry=None):
    job = get_queue().enqueue(
        func, *args, job_timeout=job_timeout, job_id=job_id, result_ttl=RESULT_TTL,
        failure_ttl=FAILURE_TTL, retry=retry)
    log.info("enqueued job=%s func=%s args=%s", job.id, func.__name__, args)
    return job


def webhook_retry():
    """RQ tries a failed webhook job again later: PCO may have been briefly unavailable."""
    return Retry(max=3, interval=WEBHOOK_RETRY_INTERVALS)


def webhook_job_id(row_id):
    """One job id per delivery: the sweep can tell whether a delivery is already queued."""
    return f"webhook-{row_id}"


# Sync runs.

def start_run_in_worker(kind, triggered_by, user_id=None):
    """A RUNNING SyncRun with its job queued; RunAlreadyActive if one is going."""
    run = start_run(kind, triggered_by=triggered_by, user_id=user_id)
    try:
        job = _enqueue(run_sync, run.id, job_timeout=SYNC_JOB_TIMEOUT)
    except redis_lib.RedisError as err:
        finish_run(run, RunStatus.FAILED, "The job queue (Redis) is unavailable; nothing was run.")
        raise QueueUnavailable("The job queue (Redis) is unavailable. Try again shortly.") from err
    run.job_id = job.id
    db.session.commit()
    return run


# Webhook deliveries. When the queue is down a delivery stays recorded in the database and is
# answered 200; the sweep queues it as soon as Redis is back (on the next delivery, when a
# worker starts, or `flask pco webhooks sweep`), so nothing PCO delivered is lost.

_queue_was_down = False


def queue_delivery(row_id):
    """Enqueue processing; False (and the row stays for the sweep) when Redis is down. The hot
    path writes nothing more to the database: one commit per delivery."""
    global _queue_was_down
    try:
        _enqueue(process_webhook, row_id, job_timeout=WEBHOOK_JOB_TIMEOUT,
                 job_id=webhook_job_id(row_id), retry=webhook_retry())
    except redis_lib.RedisError:
        log.warning("webhook queue unavailable row=%s: kept for the sweep", row_id)
        _queue_was_down = True
        return False
    if _queue_was_down:  # Redis is back: queue what this process recorded meanwhile
        _queue_was_down = False
        sweep_deliveries()
    return True


def sweep_deliveries(**options):
    """Queue recorded deliveries that are in no queue (recorded while Redis was down, or lost
    from Redis). `options`: receive.waiting_delivery_ids's limit and min_age."""
    queue = get_queue()
    queued = 0
    for row_id in receive.waiting_delivery_ids(**options):
        job = queue.fetch_job(webhook_job_id(row_id))
        if job is not None and job.get_status(refresh=False) in PENDING_JOB_STATES:
            continue
        if not queue_delivery(row_id):
            break
        queued += 1
    if queued:
        log.info("webhook sweep queued=%s", queued)
    return queued


def retry_failed_deliveries():
    """Put failed deliveries back in the queue (`flask pco webhooks retry`)."""
    return sum(1 for row_id in receive.reset_failed() if queue_delivery(row_id))
