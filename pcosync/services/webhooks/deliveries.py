"""The recorded deliveries as the worker's batches read and settle them (Core statements: a
burst is thousands of rows, and no ORM object is needed for any of them)."""
from sqlalchemy import bindparam, select, text, update

from ...extensions import db
from ...models import DeliveryStatus, WebhookDelivery, utcnow
from ..rules.erasures import ErasedSkip
from .batch import read_row

TABLE = WebhookDelivery.__table__
BODY_SLICE = 500  # ids per IN (...) when reading bodies
# pg_advisory_xact_lock's key for "one batch at a time" (any fixed number; "pcowh" in ASCII).
LOCK_KEY = 0x70636F7768


def lock():
    """Begin the batch's transaction holding the deliveries to itself: two workers never apply
    the same delivery, nor split one record's deliveries between them. PostgreSQL: an advisory
    lock until the commit. SQLite: the database's write lock, which a write of no row takes
    (its one writer would be needed for the batch's first write anyway)."""
    db.session.commit()  # a new transaction: the lock is its first statement
    dialect = db.engine.dialect.name
    if dialect == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
    elif dialect == "sqlite":
        db.session.execute(update(TABLE).where(TABLE.c.id == 0).values(status=TABLE.c.status))


def waiting_rows(limit, only=None):
    """(id, delivery id, event name) of deliveries waiting to be applied, oldest first."""
    query = (select(TABLE.c.id, TABLE.c.delivery_id, TABLE.c.event_name)
             .where(TABLE.c.status == DeliveryStatus.RECEIVED).order_by(TABLE.c.id).limit(limit))
    if only is not None:
        query = query.where(TABLE.c.id.in_(list(only)))
    return db.session.execute(query).all()


def read_bodies(rows):
    """{row id: batch.Waiting} for `rows` (from waiting_rows)."""
    found, names = {}, {row.id: row for row in rows}
    ids = list(names)
    for start in range(0, len(ids), BODY_SLICE):
        query = select(TABLE.c.id, TABLE.c.body).where(
            TABLE.c.id.in_(ids[start:start + BODY_SLICE]))
        for row_id, body in db.session.execute(query):
            row = names[row_id]
            found[row_id] = read_row(row_id, row.delivery_id, row.event_name, body)
    return found


def still_waiting(row_ids):
    query = select(TABLE.c.id).where(TABLE.c.id.in_(list(row_ids)),
                                     TABLE.c.status == DeliveryStatus.RECEIVED)
    return set(db.session.scalars(query))


def settle(results):
    """Write each delivery's end: {row id: (status, note)}; the note is kept for the ignored
    and failed ones (why), not for the processed."""
    if not results:
        return
    now = utcnow()
    statement = update(TABLE).where(TABLE.c.id == bindparam("row_id")).values(
        status=bindparam("new_status"), error=bindparam("note"), processed_at=bindparam("at"))
    db.session.execute(statement, [
        {"row_id": row_id, "new_status": status, "at": now,
         "note": None if status == DeliveryStatus.PROCESSED else _text(note)}
        for row_id, (status, note) in results.items()])
    erased = [row_id for row_id, (_, note) in results.items() if isinstance(note, ErasedSkip)]
    if erased:  # what PCO sent about an erased person is not kept
        db.session.execute(update(TABLE).where(TABLE.c.id.in_(erased)).values(body="{}"))


def _text(note):
    return None if note is None else str(note)
