"""Redis and the RQ queue: one place sets queue name, timeouts and TTLs (like redash)."""
import logging

import redis as redis_lib
from flask import current_app
from rq import Queue, Retry

log = logging.getLogger("pcosync.queues")

# A 50,000-person church at PCO's 100 requests / 20 s: 500 pages of people plus households,
# groups and memberships is well under an hour; 4 h leaves room for 429 back-offs.
SYNC_JOB_TIMEOUT = 4 * 60 * 60
WEBHOOK_JOB_TIMEOUT = 5 * 60
RESULT_TTL = 24 * 60 * 60
FAILURE_TTL = 7 * 24 * 60 * 60


def get_redis(app=None):
    app = app or current_app
    conn = app.extensions.get("pcosync_redis")
    if conn is None:
        conn = redis_lib.Redis.from_url(
            app.config["REDIS_URL"], socket_connect_timeout=2, socket_timeout=10,
            health_check_interval=30)
        app.extensions["pcosync_redis"] = conn
    return conn


def get_queue(app=None):
    app = app or current_app
    return Queue(app.config["RQ_QUEUE"], connection=get_redis(app))


def enqueue(func, *args, job_timeout=SYNC_JOB_TIMEOUT, job_id=None, retry=None):
    """Enqueue a job function by reference; job functions take ids only."""
    job = get_queue().enqueue(
        func, *args, job_timeout=job_timeout, job_id=job_id, result_ttl=RESULT_TTL,
        failure_ttl=FAILURE_TTL, retry=retry)
    log.info("enqueued job=%s func=%s args=%s", job.id, func.__name__, args)
    return job


def webhook_retry():
    return Retry(max=3, interval=[10, 60, 300])


def redis_is_up(app=None):
    try:
        return bool(get_redis(app).ping())
    except redis_lib.RedisError:
        return False
