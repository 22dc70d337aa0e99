"""Retention: changes older than HISTORY_DAYS days are deleted, a batch per transaction so a
prune of millions of rows never holds one long lock (the changed_at index finds them)."""
import logging
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select

from ...extensions import db
from ...models import FieldChange, utcnow

log = logging.getLogger("pcosync.history")
BATCH = 10_000


def prune(days=None, now=None):
    """Delete the changes older than `days` (HISTORY_DAYS); returns how many."""
    days = days or current_app.config["HISTORY_DAYS"]
    cutoff = (now or utcnow()) - timedelta(days=days)
    total = 0
    while True:
        ids = select(FieldChange.id).where(FieldChange.changed_at < cutoff).limit(BATCH)
        deleted = db.session.execute(delete(FieldChange).where(
            FieldChange.id.in_(ids.scalar_subquery()))).rowcount
        db.session.commit()
        total += deleted
        if deleted < BATCH:
            break
    log.info("history pruned rows=%s older_than_days=%s", total, days)
    return total
