"""After a complete pull, records PCO no longer has are archived locally (never deleted).

A short or broken listing from PCO (it has happened: #736, lists capped at 10,000) must not
archive half a church: above a small share, nothing is archived and a human is asked instead.
"""
import logging

from sqlalchemy import select

from ...extensions import db
from ...models import Outcome, utcnow

log = logging.getLogger("pcosync.pull")
MAX_SHARE = 0.10
ALWAYS_ALLOWED = 5


def archive_missing(model, id_column, seen, progress, record_type, exists=None):
    """Archive live rows of `model` linked to PCO whose id is not in `seen` and that PCO
    confirms gone (`exists(pco_id)` is False; see puller.still_in_pco)."""
    linked = select(id_column).where(id_column.is_not(None), model.archived_at.is_(None))
    # Ids only: loading every linked row as an object made a pull's memory grow with the church.
    missing_ids = [pco_id for pco_id in db.session.scalars(linked) if pco_id not in seen]
    if not missing_ids:
        return 0
    limit = max(ALWAYS_ALLOWED, int(MAX_SHARE * (len(seen) + len(missing_ids))))
    if len(missing_ids) > limit:
        progress.issue(record_type, f"{len(missing_ids)} linked {record_type} records were not in "
                       "PCO's listing; that is too many to be real deletions, so none was "
                       "archived. Check PCO and run the sync again.")
        log.warning("tombstones refused kind=%s missing=%s seen=%s", record_type,
                    len(missing_ids), len(seen))
        return 0
    if exists is not None:
        missing_ids = [pco_id for pco_id in missing_ids if not exists(pco_id)]
        if not missing_ids:
            return 0
    missing = db.session.scalars(select(model).where(id_column.in_(missing_ids))).all()
    now = utcnow()
    for row in missing:
        row.archived_at = now
    progress.count(Outcome.UPDATED, len(missing))
    log.info("archived records gone from PCO kind=%s count=%s", record_type, len(missing))
    return len(missing)
