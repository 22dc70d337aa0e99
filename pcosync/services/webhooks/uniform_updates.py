"""One UPDATE statement for a chunk's people, not one per shape of change.

The ORM sends the UPDATEs of a flush in primary-key order and starts a new statement whenever
the set of changed columns differs from the previous row's: a chunk whose people changed a
first name here, a nickname there, cost a statement per run of alike rows (a third of a
batch's statements). Each changed person is written with every column changed on any of them
instead, the others at the value they hold; only people locked when they were read (SELECT
... FOR UPDATE, handlers/common.prefetch_people) are widened, so nobody else can have changed
those columns meanwhile, and only people with a change of their own (a Skipped person is not
written). The history has already been taken from the real changes (history/capture,
before_flush)."""
from contextlib import contextmanager

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, object_session
from sqlalchemy.orm.base import NO_VALUE

from ...extensions import db
from ...models import Person

_ON, _LOCKED, _COLUMNS = ("pcosync.uniform_updates", "pcosync.locked_people",
                          "pcosync.uniform_columns")


@contextmanager
def uniform_updates():
    """For the block (a batch), the people of a flush share one UPDATE."""
    session = db.session()
    session.info[_ON] = True
    try:
        yield
    finally:
        for key in (_ON, _LOCKED, _COLUMNS):
            session.info.pop(key, None)


def locked(people):
    """These people were read FOR UPDATE in this transaction."""
    db.session.info.setdefault(_LOCKED, set()).update(p.id for p in people)


def _changed_columns(state):
    columns = state.mapper.column_attrs
    return {key for key, before in state.committed_state.items()
            if key in columns and key in state.dict
            and state.manager[key].impl.is_equal(state.dict[key], before) is not True}


@event.listens_for(Session, "before_flush")
def _plan(session, _context, _instances):
    if not session.info.get(_ON):
        return
    ids, columns = session.info.get(_LOCKED) or set(), set()
    for obj in session.dirty:
        if isinstance(obj, Person) and obj.id in ids:
            columns |= _changed_columns(inspect(obj))
    session.info[_COLUMNS] = columns


@event.listens_for(Person, "before_update")
def _widen(_mapper, _connection, person):
    session = object_session(person)
    columns = session.info.get(_COLUMNS) if session is not None else None
    if not columns or person.id not in (session.info.get(_LOCKED) or ()):
        return
    state = inspect(person)
    changed = _changed_columns(state)
    if not changed:
        return
    for key in columns - changed:
        if key in state.dict:
            state.committed_state[key] = NO_VALUE  # written at the value it holds


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _unlocked(session):
    session.info.pop(_LOCKED, None)
