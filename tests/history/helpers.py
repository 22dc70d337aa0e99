from sqlalchemy import select

from pcosync.extensions import db
from pcosync.models import FieldChange


def changes(**where):
    """History rows matching `where` (column=value), oldest first."""
    query = select(FieldChange).order_by(FieldChange.id)
    for name, value in where.items():
        query = query.where(getattr(FieldChange, name) == value)
    return db.session.scalars(query).all()


def fields(rows):
    return [(row.record_type, row.field, row.before, row.after) for row in rows]
