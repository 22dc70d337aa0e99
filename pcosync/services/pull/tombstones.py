"""After a complete pull, records PCO no longer has are archived locally (never deleted).

A short or broken listing from PCO (it has happened: #736, lists capped at 10,000) must not
archive half a church: the run's guard (`progress.allow_archive`, see services/runs/guard.py,
SYNC_GUARD_PERCENT) stops the run before anything is archived when the share is too large, and
a human looks at its preview and confirms or not.
"""
import logging

from sqlalchemy import select

from ...extensions import db
from ...models import Outcome, utcnow
from ..rules.review_items import file_archived_by_pco

log = logging.getLogger("pcosync.pull")


def archive_missing(model, id_column, seen, progress, record_type, exists=None):
    """Archive live rows of `model` linked to PCO whose id is not in `seen` and that PCO
    confirms gone (`exists(pco_id)` is False; see puller.still_in_pco)."""
    linked = select(id_column).where(id_column.is_not(None), model.archived_at.is_(None))
    # Ids only: loading every linked row as an object made a pull's memory grow with the church.
    missing_ids = [pco_id for pco_id in db.session.scalars(linked) if pco_id not in seen]
    if not missing_ids:
        return 0
    # Before one request is spent confirming them: GuardTripped when they are too many.
    progress.allow_archive(record_type, len(missing_ids), len(seen))
    if exists is not None:
        missing_ids = [pco_id for pco_id in missing_ids if not exists(pco_id)]
        if not missing_ids:
            return 0
    missing = db.session.scalars(select(model).where(id_column.in_(missing_ids))).all()
    now = utcnow()
    for row in missing:
        row.archived_at = now
        file_archived_by_pco(progress, record_type, row, getattr(row, id_column.key))
    progress.count(Outcome.UPDATED, len(missing))
    log.info("archived records gone from PCO kind=%s count=%s", record_type, len(missing))
    return len(missing)
