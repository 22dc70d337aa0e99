"""What /healthz and /healthz/sync answer, and the checks the web process and the worker's
alert check run. JSON-ready dicts: no secret, no personal data, only states and ages.

- liveness: this web process, its database and Redis. A load balancer acts on it, so it says
  nothing of the sync: an unwell sync must never take a healthy web process out.
- sync: the worker's heartbeat age (RQ keeps one per worker in Redis), the age of the last
  successful Full Sync and Quick Sync, the webhook subscriptions, and whether PCO takes the
  credentials. Looking also raises (or resolves) the worker and subscription alerts.
"""
import logging
from datetime import timezone

import redis as redis_lib
from flask import current_app
from rq import Worker
from sqlalchemy import func, select, text
from sqlalchemy.exc import SQLAlchemyError

from ...extensions import db, get_redis, redis_is_up
from ...models import RunStatus, SyncRun, utcnow
from ..runs import kinds
from ..webhooks import health as webhook_health
from ..webhooks.setup import is_set_up
from . import rules
from .notify import open_problems
from .webhooks import PROBLEM as WEBHOOKS_BROKEN

log = logging.getLogger("pcosync.alerts")


def liveness():
    checks = {"database": {"ok": database_is_up()}, "redis": {"ok": redis_is_up()}}
    return verdict(checks)


def verdict(checks):
    ok = all(check["ok"] for check in checks.values())
    return {"status": "ok" if ok else "failing", "ok": ok, "checks": checks}


def database_is_up():
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except SQLAlchemyError:
        db.session.rollback()
        return False


def sync_health(alert=True):
    """The sync's health; `alert`: raise or resolve the worker and subscription alerts too."""
    try:
        checks = {"worker": worker_check(alert),
                  "full_sync": last_success(kinds.FULL_SYNC),
                  "quick_sync": last_success(kinds.QUICK_SYNC),
                  "webhooks": webhooks_check(alert),
                  "credentials": {"ok": rules.CREDENTIALS not in open_problems()}}
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("sync health: the database did not answer")
        checks = {"database": {"ok": False}}
    return verdict(checks)


def worker_check(alert):
    max_age = current_app.config["WORKER_HEARTBEAT_MAX_AGE"]
    age = worker_heartbeat_age()
    if alert:
        rules.worker_checked(age, max_age)
    return {"ok": age is not None and age <= max_age,
            "heartbeat_age_seconds": None if age is None else round(age),
            "max_age_seconds": max_age}


def worker_heartbeat_age():
    """Seconds since the freshest heartbeat of a worker on this app's queue; None: none."""
    queue = current_app.config["RQ_QUEUE"]
    try:
        workers = [w for w in Worker.all(connection=get_redis()) if queue in w.queue_names()]
    except redis_lib.RedisError:
        return None
    beats = [w.last_heartbeat for w in workers if w.last_heartbeat is not None]
    if not beats:
        return None
    newest = max(beat if beat.tzinfo else beat.replace(tzinfo=timezone.utc)
                 for beat in beats)
    return max(0.0, (utcnow() - newest).total_seconds())


def last_success(kind):
    """Informational (never failing): a church may run no schedule at all."""
    finished = db.session.scalar(select(func.max(SyncRun.finished_at)).where(
        SyncRun.kind == kind, SyncRun.status == RunStatus.COMPLETED,
        SyncRun.parent_id.is_(None), SyncRun.preview.is_(False)))
    if finished is not None and finished.tzinfo is None:
        finished = finished.replace(tzinfo=timezone.utc)
    age = None if finished is None else round((utcnow() - finished).total_seconds())
    return {"ok": True, "age_seconds": age}


def webhooks_check(alert):
    events = webhook_health.health(current_app.config)
    set_up_here = is_set_up()
    if alert:
        rules.subscriptions_checked(events, set_up_here)
    needing = sum(1 for item in events if item.state != "active")
    broken = WEBHOOKS_BROKEN in open_problems()
    return {"ok": not broken and not (set_up_here and needing), "set_up_here": set_up_here,
            "subscriptions_needing_attention": needing, "deliveries_look_broken": broken}
