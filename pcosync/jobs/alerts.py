"""The worker's alert check: every few minutes, what /healthz/sync looks at (another worker's
heartbeat, the webhook subscriptions), so a problem is raised, and resolved, even when nobody
opens the Sync page. One chain of ticks: each schedules the next before it checks, and a worker
start adds one only when RQ holds none (a restart does not start a second chain)."""
import logging
from datetime import timedelta

import redis as redis_lib
from rq.registry import ScheduledJobRegistry

from ..models import utcnow
from .queue import JobPolicy, enqueue_at, get_queue

log = logging.getLogger("pcosync.jobs")

ALERT_CHECK_SECONDS = 120
ALERT_CHECK_POLICY = JobPolicy(timeout=120)
PREFIX = "alert-check_"


def alert_check_tick():
    schedule_alert_check()
    from ..services.alerts.health import sync_health

    return sync_health()["status"]


def schedule_alert_check(now=None):
    due = (now or utcnow()) + timedelta(seconds=ALERT_CHECK_SECONDS)
    enqueue_at(due, alert_check_tick, policy=ALERT_CHECK_POLICY,
               job_id=f"{PREFIX}{due:%Y%m%dT%H%M%SZ}")
    return due


def ensure_alert_check():
    """At worker start: schedule the check unless a tick is scheduled already."""
    try:
        registry = ScheduledJobRegistry(queue=get_queue())
        if any(job_id.startswith(PREFIX) for job_id in registry.get_job_ids(cleanup=False)):
            return None
        return schedule_alert_check()
    except redis_lib.RedisError as err:
        log.error("alert check not scheduled at worker start: %s", err)
        return None
