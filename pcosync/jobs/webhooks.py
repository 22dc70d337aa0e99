"""Webhook jobs: deliveries are applied by a batch job (one queued at a time), and a daily
check keeps the subscriptions switched on.

When the queue is down a delivery stays recorded in the database and is answered 200; the sweep
queues it as soon as Redis is back (on the next delivery, when a worker starts, or `flask pco
webhooks sweep`), so nothing PCO delivered is lost.
"""
import contextlib
import logging
import uuid

import redis as redis_lib
from flask import current_app

from ..extensions import get_redis
from ..services.webhooks import receive
from .queue import PENDING_JOB_STATES, JobPolicy, enqueue, get_queue

log = logging.getLogger("pcosync.jobs")

# PCO may have been briefly unavailable: RQ tries a failed batch again later.
WEBHOOK_POLICY = JobPolicy(timeout=5 * 60, retry_intervals=(10, 60, 300))
# A flag whose job was lost (Redis flushed, say) stops covering new deliveries after this long;
# one that simply waits behind a long sync run lets another batch job in now and then: harmless.
BATCH_FLAG_TTL = 60
_queue_was_down = False


def process_webhooks():
    """Apply the waiting webhook deliveries, a batch at a time (services/webhooks/process).
    The flag goes first: a delivery recorded from now on queues a job of its own."""
    from ..services.webhooks.process import process_waiting

    from ..models import utcnow
    from .media import queue_media_if_waiting

    get_redis().delete(_batch_flag())
    started = utcnow()
    if process_waiting():
        queue_batch(f"webhook-batch-more-{uuid.uuid4().hex[:12]}")  # this job's time is up
    queue_media_if_waiting(started, triggered_by="webhook")
    return "done"


def process_webhook(delivery_row_id):
    """A job queued by a version that queued one job per delivery: the batch takes it."""
    return process_webhooks()


def check_webhooks():
    """The daily check: re-activate what PCO deactivated (see services/webhooks/setup)."""
    from ..services.connection import make_client
    from ..services.webhooks.setup import daily_check, finish_rotations, is_set_up

    if not is_set_up():  # nothing to check, and no PCO credentials needed
        finish_rotations()
        return "Webhooks are not set up here; nothing to check."
    client = make_client()
    try:
        return daily_check(client, current_app.config).summary()
    finally:
        client.close()


def _batch_flag():
    """Redis key set while a webhook batch job is queued and has not started: the deliveries
    recorded meanwhile need no job of their own. It holds the job's id."""
    return f"pcosync:{current_app.config['RQ_QUEUE']}:webhook-batch-queued"


def queue_delivery(row_id):
    """Make sure a batch job will see the delivery; False (the row stays for the sweep) when
    Redis is down. The hot path: one Redis command, unless no batch job is waiting yet."""
    global _queue_was_down
    try:
        queue_batch(f"webhook-batch-{row_id}")
    except redis_lib.RedisError:
        log.warning("webhook queue unavailable row=%s: kept for the sweep", row_id)
        _queue_was_down = True
        return False
    if _queue_was_down:  # Redis is back: queue what this process recorded meanwhile
        _queue_was_down = False
        sweep_deliveries()
    return True


def queue_batch(job_id, force=False):
    """Enqueue a batch job unless one is queued and not started yet (`force`: enqueue anyway,
    for the sweep). A delivery is recorded before this runs, and a job clears the flag before
    it reads: so the job that holds the flag always sees the delivery. True: enqueued now."""
    redis = get_redis()
    if not redis.set(_batch_flag(), job_id, nx=not force, ex=BATCH_FLAG_TTL):
        return False
    try:
        enqueue(process_webhooks, policy=WEBHOOK_POLICY, job_id=job_id)
    except redis_lib.RedisError:
        with contextlib.suppress(redis_lib.RedisError):
            redis.delete(_batch_flag())
        raise
    return True


def batch_queued():
    """Whether a batch job is queued (or scheduled for a retry) and will read the backlog."""
    job_id = get_redis().get(_batch_flag())
    if job_id is None:
        return False
    job = get_queue().fetch_job(job_id.decode())
    return job is not None and job.get_status(refresh=False) in PENDING_JOB_STATES


def sweep_deliveries(**options):
    """Queue a batch job for recorded deliveries that no job will see (recorded while Redis
    was down, or lost from Redis); returns how many deliveries wait. `options`:
    receive.waiting_delivery_ids's limit and min_age."""
    waiting = receive.waiting_delivery_ids(**options)
    if not waiting or batch_queued():
        return 0
    queue_batch(f"webhook-batch-sweep-{uuid.uuid4().hex[:12]}", force=True)
    log.info("webhook sweep queued a batch for waiting=%s", len(waiting))
    return len(waiting)


def retry_failed_deliveries():
    """Put failed deliveries back in the queue (`flask pco webhooks retry`)."""
    row_ids = receive.reset_failed()
    return len(row_ids) if row_ids and queue_delivery(row_ids[0]) else 0
