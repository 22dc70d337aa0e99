"""One UPDATE statement for a chunk's people (and one each for its families, addresses, emails
and phone numbers), not one per shape of change.

The ORM sends the UPDATEs of a flush in primary-key order and starts a new statement whenever
the set of changed columns differs from the previous row's: a chunk whose people changed a
first name here, a nickname there, cost a statement per run of alike rows (a third of a
batch's statements). Each changed row is written with every column changed on any row of its
table instead, the others at the value they hold. Only rows locked when they were read
(SELECT ... FOR UPDATE, handlers/common and handlers/prefetch) are widened, so nobody else can
have changed those columns meanwhile, and only rows with a change of their own (a Skipped
record is not written). The history has already been taken from the real changes
(history/capture, before_flush)."""
from contextlib import contextmanager

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, object_session
from sqlalchemy.orm.base import NO_VALUE

from ...extensions import db
from ...models import Address, Email, Family, Person, PhoneNumber

WIDENED = (Person, Family, Address, Email, PhoneNumber)
_ON, _LOCKED, _COLUMNS = ("pcosync.uniform_updates", "pcosync.locked_rows",
                          "pcosync.uniform_columns")


@contextmanager
def uniform_updates():
    """For the block (a batch), the people of a flush share one UPDATE, and so do the rows of
    each other table in WIDENED."""
    session = db.session()
    session.info[_ON] = True
    try:
        yield
    finally:
        for key in (_ON, _LOCKED, _COLUMNS):
            session.info.pop(key, None)


def locked(rows):
    """These rows (of WIDENED) were read FOR UPDATE in this transaction."""
    db.session.info.setdefault(_LOCKED, set()).update((type(row), row.id) for row in rows)


def loaded_in_transaction(model):
    """Ids of the `model` rows already loaded in this transaction (not expired): a FOR UPDATE
    read does not reload them, so they may be stale and must not be widened."""
    return {obj.id for obj in db.session.identity_map.values()
            if isinstance(obj, model) and not inspect(obj).expired}


def _changed_columns(state):
    columns = state.mapper.column_attrs
    return {key for key, before in state.committed_state.items()
            if key in columns and key in state.dict
            and state.manager[key].impl.is_equal(state.dict[key], before) is not True}


@event.listens_for(Session, "before_flush")
def _plan(session, _context, _instances):
    if not session.info.get(_ON):
        return
    rows, columns = session.info.get(_LOCKED) or set(), {}
    for obj in session.dirty:
        if (type(obj), obj.id) in rows:
            columns.setdefault(type(obj), set()).update(_changed_columns(inspect(obj)))
    session.info[_COLUMNS] = columns


def _widen(_mapper, _connection, row):
    session = object_session(row)
    if session is None or (type(row), row.id) not in (session.info.get(_LOCKED) or ()):
        return
    columns = (session.info.get(_COLUMNS) or {}).get(type(row))
    state = inspect(row)
    changed = _changed_columns(state)
    if not columns or not changed:
        return
    for key in columns - changed:
        if key in state.dict:
            state.committed_state[key] = NO_VALUE  # written at the value it holds


for _model in WIDENED:
    event.listen(_model, "before_update", _widen)


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _unlocked(session):
    session.info.pop(_LOCKED, None)
