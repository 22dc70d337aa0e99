from sqlalchemy import select

from pcosync.extensions import db
from pcosync.models import FieldChange, RunStatus, SyncRun, utcnow


def changes(**where):
    """History rows matching `where` (column=value), oldest first."""
    query = select(FieldChange).order_by(FieldChange.id)
    for name, value in where.items():
        query = query.where(getattr(FieldChange, name) == value)
    return db.session.scalars(query).all()


def fields(rows):
    return [(row.record_type, row.field, row.before, row.after) for row in rows]


def finished_run(kind):
    """A run that ended, to hold changes a test makes itself (no PCO needed)."""
    row = SyncRun(kind=kind, status=RunStatus.COMPLETED, triggered_by="test", finished_at=utcnow())
    db.session.add(row)
    db.session.commit()
    return row
