"""The recorded deliveries as the worker's batches read and settle them (Core statements: a
burst is thousands of rows, and no ORM object is needed for any of them)."""
from sqlalchemy import bindparam, func, null, select, update

from ...extensions import db
from ...models import DeliveryStatus, SyncRun, WebhookDelivery, utcnow
from ..rules.erasures import ErasedSkip
from .batch import read_row

TABLE = WebhookDelivery.__table__
BODY_SLICE = 500  # ids per IN (...) when reading bodies
# pg_advisory_xact_lock's key for "one batch at a time" (any fixed number; "pcowh" in ASCII).
LOCK_KEY = 0x70636F7768


def lock(watch_runs=False):
    """Begin the batch's transaction holding the deliveries to itself: two workers never apply
    the same delivery, nor split one record's deliveries between them. PostgreSQL: an advisory
    lock until the commit. SQLite: the database's write lock, which a write of no row takes
    (its one writer would be needed for the batch's first write anyway).
    `watch_runs`: returns the heartbeat of the sync run going on (None: none is), read in the
    same round trip as the lock on PostgreSQL."""
    db.session.commit()  # a new transaction: the lock is its first statement
    heartbeat = (select(SyncRun.heartbeat_at).where(SyncRun.active_slot == 1)
                 .scalar_subquery() if watch_runs else null())
    dialect = db.engine.dialect.name
    if dialect == "postgresql":
        return db.session.execute(select(func.pg_advisory_xact_lock(LOCK_KEY), heartbeat)).one()[1]
    if dialect == "sqlite":
        db.session.execute(update(TABLE).where(TABLE.c.id == 0).values(status=TABLE.c.status))
    return db.session.scalar(select(heartbeat)) if watch_runs else None


def waiting_rows(limit, only=None, with_bodies=False):
    """(id, delivery id, event name[, body]) of deliveries waiting to be applied, oldest
    first."""
    columns = [TABLE.c.id, TABLE.c.delivery_id, TABLE.c.event_name]
    query = (select(*columns, *([TABLE.c.body] if with_bodies else []))
             .where(TABLE.c.status == DeliveryStatus.RECEIVED).order_by(TABLE.c.id).limit(limit))
    if only is not None:
        query = query.where(TABLE.c.id.in_(list(only)))
    return db.session.execute(query).all()


def read_bodies(rows):
    """{row id: batch.Waiting} for `rows` (from waiting_rows: their bodies are read here
    unless they carry them)."""
    found = {row.id: read_row(row.id, row.delivery_id, row.event_name, row.body)
             for row in rows if "body" in row._fields}
    names = {row.id: row for row in rows if row.id not in found}
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
