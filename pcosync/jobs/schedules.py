"""Schedule jobs. RQ's scheduler (the worker runs it: `flask worker`, with_scheduler) enqueues
each tick at its due time; one tick is scheduled per schedule, with an id naming its due time,
so applying the schedules again (at every worker start, after every save) changes nothing
unless the admin changed something. Redis keeps the scheduled ticks across restarts; the
database keeps the schedules, so even a Redis that lost them gets them back at the next worker
start."""
import logging
from datetime import datetime

import redis as redis_lib
from rq import get_current_job
from rq.exceptions import NoSuchJobError
from rq.registry import ScheduledJobRegistry
from sqlalchemy.exc import SQLAlchemyError

from ..models import utcnow
from .history import enqueue_prune
from .queue import JobPolicy, enqueue_at, get_queue
from .runs import SYNC_POLICY, preview_stopped_run
from .webhooks import WEBHOOK_POLICY, check_webhooks

log = logging.getLogger("pcosync.jobs")

# A schedule's tick runs its sync itself (the nightly one, a Full Sync and then a Full Push).
TICK_POLICIES = {"quick-sync": SYNC_POLICY,
                 "full-sync": JobPolicy(timeout=2 * SYNC_POLICY.timeout),
                 "webhook-check": WEBHOOK_POLICY}


def scheduled_tick(name, due_iso):
    """A schedule's tick, enqueued by RQ's scheduler at its due time: the next tick is
    scheduled first, so the chain survives whatever this one meets; then the run (or the
    webhook check)."""
    from ..services.runs import schedules

    if schedule_next(name) is None:
        return "The schedule was turned off; nothing was run."
    if name == schedules.WEBHOOK_CHECK:
        enqueue_prune()  # the daily tick also keeps the change history to HISTORY_DAYS
        return check_webhooks()
    job = get_current_job()
    status = schedules.run_scheduled(name, datetime.fromisoformat(due_iso),
                                     job.id if job else None)
    if job is not None:
        preview_stopped_run(job_id=job.id)
    return status


def schedule_job_id(name, due):
    """RQ takes letters, digits, "-" and "_" in a job id: schedule_quick-sync_20260504T121500Z."""
    return f"schedule_{name}_{due:%Y%m%dT%H%M%SZ}"


def schedule_next(name, now=None):
    """Schedule `name`'s next tick (or none: the schedule is off); returns its due time."""
    from ..services.runs import schedules

    due = schedules.next_due(name, schedules.get_schedule(), now or utcnow(),
                             schedules.church_zone())
    keep = schedule_job_id(name, due) if due else None
    if _drop_ticks(name, keep) or due is None:
        return due
    enqueue_at(due, scheduled_tick, name, due.isoformat(), policy=TICK_POLICIES[name],
               job_id=keep)
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
    from ..services.runs import schedules

    return {name: schedule_next(name) for name in schedules.NAMES}


def ensure_schedules():
    """At worker start: schedule what the database says. A bad TIMEZONE or a database error
    is logged, and the worker runs anyway (manual runs and webhooks need it)."""
    from ..services.runs.schedules import ScheduleError

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
