"""The only place that enqueues, and the only place that sets job policy (queue, timeouts,
TTLs, retries, job ids), as redash's job decorator does. Entry points take ids only; the
worker runs them inside the app context (see `flask worker`). Callers are the blueprints and
the CLI: services never enqueue.
"""
import contextlib
import logging
import uuid
from datetime import datetime

import redis as redis_lib
from flask import current_app
from rq import Queue, Retry, get_current_job
from rq.exceptions import NoSuchJobError
from rq.registry import ScheduledJobRegistry
from sqlalchemy.exc import SQLAlchemyError

from .extensions import db
from .models import RunStatus, utcnow
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
# A schedule's tick runs its sync itself (the nightly one, a Full Sync and then a Full Push).
TICK_TIMEOUTS = {"quick-sync": SYNC_JOB_TIMEOUT, "full-sync": 2 * SYNC_JOB_TIMEOUT,
                 "webhook-check": WEBHOOK_JOB_TIMEOUT}
PENDING_JOB_STATES = ("queued", "started", "scheduled", "deferred")


class QueueUnavailable(Exception):
    pass


# Entry points: what the worker runs.

def run_sync(run_id):
    from .services.runs.execute import execute_run

    status = execute_run(run_id)
    preview_stopped_run(run_id=run_id)
    return status


def process_webhooks():
    """Apply the waiting webhook deliveries, a batch at a time (services/webhooks/process).
    The flag goes first: a delivery recorded from now on queues a job of its own."""
    from .services.webhooks.process import process_waiting

    get_redis().delete(_batch_flag())
    if process_waiting():
        queue_batch(f"webhook-batch-more-{uuid.uuid4().hex[:12]}")  # this job's time is up
    return "done"


def process_webhook(delivery_row_id):
    """A job queued by a version that queued one job per delivery: the batch takes it."""
    return process_webhooks()


def scheduled_tick(name, due_iso):
    """A schedule's tick, enqueued by RQ's scheduler (in `flask worker`) at its due time: the
    next tick is scheduled first, so the chain survives whatever this one meets; then the
    run (or the webhook check)."""
    from .services.runs import schedules

    if schedule_next(name) is None:
        return "The schedule was turned off; nothing was run."
    if name == schedules.WEBHOOK_CHECK:
        return check_webhooks()
    job = get_current_job()
    status = schedules.run_scheduled(name, datetime.fromisoformat(due_iso),
                                     job.id if job else None)
    if job is not None:
        preview_stopped_run(job_id=job.id)
    return status


def check_webhooks():
    """The daily check: re-activate what PCO deactivated (see services/webhooks/setup)."""
    from .services.connection import make_client
    from .services.webhooks.setup import daily_check, finish_rotations, is_set_up

    if not is_set_up():  # nothing to check, and no PCO credentials needed
        finish_rotations()
        return "Webhooks are not set up here; nothing to check."
    client = make_client()
    try:
        return daily_check(client, current_app.config).summary()
    finally:
        client.close()


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


def _batch_flag():
    """Redis key set while a webhook batch job is queued and has not started: the deliveries
    recorded meanwhile need no job of their own. It holds the job's id."""
    return f"pcosync:{current_app.config['RQ_QUEUE']}:webhook-batch-queued"


# Sync runs.

def start_run_in_worker(kind, triggered_by, user_id=None, preview=False, confirmed=False):
    """A RUNNING SyncRun with its job queued; RunAlreadyActive if one is going. `preview`: a
    run that writes nothing; `confirmed`: past the guard ("Run anyway")."""
    run = start_run(kind, triggered_by=triggered_by, user_id=user_id, preview=preview,
                    confirmed=confirmed)
    try:
        job = _enqueue(run_sync, run.id, job_timeout=SYNC_JOB_TIMEOUT)
    except redis_lib.RedisError as err:
        finish_run(run, RunStatus.FAILED, "The job queue (Redis) is unavailable; nothing was run.")
        raise QueueUnavailable("The job queue (Redis) is unavailable. Try again shortly.") from err
    run.job_id = job.id
    db.session.commit()
    return run


def preview_stopped_run(run_id=None, job_id=None):
    """A run the guard stopped (by id, or of an RQ job) gets its preview at once, same kind,
    so the admin finds on its page what it would have done; None if there is none to make."""
    from .services.runs import guard
    from .services.runs.lifecycle import RunAlreadyActive

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


# Webhook deliveries. When the queue is down a delivery stays recorded in the database and is
# answered 200; the sweep queues it as soon as Redis is back (on the next delivery, when a
# worker starts, or `flask pco webhooks sweep`), so nothing PCO delivered is lost.

_queue_was_down = False
# A flag whose job was lost (Redis flushed, say) stops covering new deliveries after this long;
# one that simply waits behind a long sync run lets another batch job in now and then: harmless.
BATCH_FLAG_TTL = 60


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
        _enqueue(process_webhooks, job_timeout=WEBHOOK_JOB_TIMEOUT, job_id=job_id,
                 retry=webhook_retry())
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


# Schedules. RQ's scheduler (the worker runs it: `flask worker`, with_scheduler) enqueues each
# tick at its due time; one tick is scheduled per schedule, with an id naming its due time, so
# applying the schedules again (at every worker start, after every save) changes nothing unless
# the admin changed something. Redis keeps the scheduled ticks across restarts; the database
# keeps the schedules, so even a Redis that lost them gets them back at the next worker start.

def schedule_job_id(name, due):
    """RQ takes letters, digits, "-" and "_" in a job id: schedule_quick-sync_20260504T121500Z."""
    return f"schedule_{name}_{due:%Y%m%dT%H%M%SZ}"


def schedule_next(name, now=None):
    """Schedule `name`'s next tick (or none: the schedule is off); returns its due time."""
    from .services.runs import schedules

    due = schedules.next_due(name, schedules.get_schedule(), now or utcnow(),
                             schedules.church_zone())
    keep = schedule_job_id(name, due) if due else None
    if _drop_ticks(name, keep) or due is None:
        return due
    get_queue().enqueue_at(due, scheduled_tick, name, due.isoformat(), job_id=keep,
                           job_timeout=TICK_TIMEOUTS[name], result_ttl=RESULT_TTL,
                           failure_ttl=FAILURE_TTL)
    log.info("scheduled tick=%s due=%s", name, due.isoformat())
    return due


def _drop_ticks(name, keep):
    """Unschedule `name`'s ticks other than `keep`; True when `keep` is scheduled already."""
    registry = ScheduledJobRegistry(queue=get_queue())
    kept = False
    for job_id in registry.get_job_ids(cleanup=False):
        if not job_id.startswith(f"schedule_{name}_"):
            continue
        if job_id == keep:
            kept = True
            continue
        try:
            registry.remove(job_id, delete_job=True)
        except NoSuchJobError:
            registry.remove(job_id)
    return kept


def apply_schedules():
    """Make the scheduled ticks match the stored schedules: {name: next due or None}."""
    from .services.runs import schedules

    return {name: schedule_next(name) for name in schedules.NAMES}


def ensure_schedules():
    """At worker start: schedule what the database says. A bad TIMEZONE or a database error
    is logged, and the worker runs anyway (manual runs and webhooks need it)."""
    from .services.runs.schedules import ScheduleError

    try:
        return apply_schedules()
    except (ScheduleError, SQLAlchemyError, redis_lib.RedisError) as err:
        log.error("schedules not applied at worker start: %s", err)
        return None


def scheduled_ticks():
    """{name: due} of the ticks RQ holds now (what the page shows as "next")."""
    registry = ScheduledJobRegistry(queue=get_queue())
    found = {}
    for job_id in registry.get_job_ids(cleanup=False):
        parts = job_id.split("_")
        if len(parts) == 3 and parts[0] == "schedule":
            try:
                found[parts[1]] = registry.get_scheduled_time(job_id)
            except NoSuchJobError:  # it was just enqueued
                continue
    return found
