"""Capture: every change to a synced field made through the ORM becomes a history row, in the
same transaction, whoever made it (a run, a webhook, the directory, the review queue, another
module, a script).

`before_flush` reads each new, changed and deleted row's attribute history (the only moment it
is known); once the flush has given new rows their ids, `after_flush_postexec` inserts the
flush's history rows in one statement. A new person, family or group is one "created" row: its
contact points and values made with it are not each recorded. A push records what PCO now
holds (the agreed state it saves) as changes of the person's fields: reverting a push means
sending those before-values back. The bulk paths write their rows themselves (`created_rows`).
"""
import json
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import event, inspect, insert
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import DetachedInstanceError, ObjectDeletedError

from ...models import (
    CREATED, DELETED, ChangeSource, Family, FieldChange, Group, Person, utcnow,
)
from .context import Context, context_of, enabled, forget_stamps
from .tracked import PERSON_FIELDS, TRACKED, encode

PENDING, REVERTS = "history_pending", "history_reverts"
OWNERS = {Person: "person_id", Family: "family_id", Group: "group_id"}
OWNER_KEYS = ("person_id", "family_id", "group_id")


@dataclass
class Entry:
    obj: object
    field: str
    before: Optional[str]
    after: Optional[str]
    context: Context
    owners: Optional[dict] = None  # known before the flush (a deleted row's)
    reverts_id: Optional[int] = None


def register():
    """Listen on every session (the app's and a preview's throwaway ones); once."""
    if event.contains(Session, "before_flush", _before_flush):
        return
    event.listen(Session, "before_flush", _before_flush)
    event.listen(Session, "persistent_to_deleted", _orphan_deleted)
    event.listen(Session, "after_flush_postexec", _after_flush)
    event.listen(Session, "after_soft_rollback", _forget)
    for model, tracked in TRACKED.items():
        for field in tracked.fields:
            # A value set on an expired row (after a commit) loads the old one first: the
            # history needs the before-value.
            event.listen(getattr(model, field), "set", _keep_old_value, active_history=True)


def _keep_old_value(_target, value, _old_value, _initiator):
    return value


def _before_flush(session, _flush_context, _instances):
    if not enabled():
        return
    pending = session.info.setdefault(PENDING, [])
    for obj in session.new:
        if type(obj) in TRACKED:
            pending.append(Entry(obj, CREATED, None, _describe(obj), context_of(session, obj)))
    for obj in session.dirty:
        if type(obj) in TRACKED:
            pending.extend(_changes(session, obj))
    for obj in session.deleted:
        _note_deleted(session, obj)


def _changes(session, obj):
    state, context = inspect(obj), context_of(session, obj)
    reverts = session.info.get(REVERTS) or {}
    found = []
    for field in TRACKED[type(obj)].fields:
        history = state.attrs[field].history
        if not history.added:
            continue
        before = encode(history.deleted[0]) if history.deleted else None
        after = encode(history.added[0])
        if before != after:
            found.append(Entry(obj, field, before, after, context,
                               reverts_id=reverts.get((state, field))))
    if type(obj) is Person and context.source == ChangeSource.PUSH:
        found.extend(_pushed(state, obj, context))
    return found


def _pushed(state, obj, context):
    """The person's fields whose value PCO holds changed with this push."""
    history = state.attrs["pco_synced_state"].history
    if not history.added or not history.deleted or not history.deleted[0]:
        return []  # a first push creates the person in PCO: its pco_id is the change
    old, new = history.deleted[0], history.added[0] or {}
    return [Entry(obj, field, encode(old.get(field)), encode(new.get(field)), context)
            for field in PERSON_FIELDS
            if field in new and encode(old.get(field)) != encode(new.get(field))]


def _note_deleted(session, obj):
    """A removed row: one entry holding its values (its owners read now, while they can be)."""
    tracked = TRACKED.get(type(obj))
    noted = session.info.setdefault(PENDING + "_deleted", set())
    if tracked is None or not enabled() or inspect(obj) in noted:
        return
    noted.add(inspect(obj))
    # Every column, so that a revert can make the row again.
    values = {column.key: encode(getattr(obj, column.key)) for column in obj.__table__.c}
    session.info.setdefault(PENDING, []).append(Entry(
        obj, DELETED, json.dumps(values, sort_keys=True), None, context_of(session, obj),
        owners=tracked.owners(obj)))


def _orphan_deleted(session, obj):
    """A row removed from its collection (delete-orphan) is deleted by the flush itself; its
    values are read from what was loaded (the row is gone: nothing can be loaded now)."""
    try:
        _note_deleted(session, obj)
    except (ObjectDeletedError, DetachedInstanceError):
        pass  # removed unread: nothing to say about it


def _after_flush(session, _flush_context):
    pending = session.info.pop(PENDING, None)
    session.info.pop(PENDING + "_deleted", None)
    forget_stamps(session)
    rows = rows_of(pending or [])
    if rows:
        session.connection().execute(insert(FieldChange.__table__), rows)


def _forget(session, _previous_transaction):
    for key in (PENDING, PENDING + "_deleted"):
        session.info.pop(key, None)
    forget_stamps(session)


def rows_of(entries):
    """The history rows of one flush's entries (ids known now)."""
    gone = {(OWNERS[type(e.obj)], e.owners[OWNERS[type(e.obj)]]) for e in entries
            if e.field == DELETED and type(e.obj) in OWNERS}
    made = {(OWNERS[type(e.obj)], e.obj.id) for e in entries
            if e.field == CREATED and type(e.obj) in OWNERS}
    now, rows = utcnow(), []
    for entry in entries:
        owners = entry.owners or TRACKED[type(entry.obj)].owners(entry.obj)
        keys = {(key, value) for key, value in owners.items() if value is not None}
        if keys & gone or (entry.field == CREATED and keys & made
                           and TRACKED[type(entry.obj)].part):
            continue  # purged with its owner, or part of a record created at once
        rows.append(_row(entry, owners, now))
    return rows


def _row(entry, owners, now):
    record_id = entry.obj.id if entry.owners is None else inspect(entry.obj).identity[0]
    return {"record_type": type(entry.obj).__name__, "record_id": record_id,
            **{key: owners.get(key) for key in OWNER_KEYS}, "field": entry.field,
            "before": entry.before, "after": entry.after, "reverts_id": entry.reverts_id,
            "changed_at": now, **entry.context.columns()}


def created_rows(record_type, items, context):
    """History rows for records a bulk path inserted: `items` are (id, owners, description)."""
    now = utcnow()
    return [{"record_type": record_type, "record_id": record_id,
             **{key: owners.get(key) for key in OWNER_KEYS}, "field": CREATED, "before": None,
             "after": description, "reverts_id": None, "changed_at": now, **context.columns()}
            for record_id, owners, description in items]


def _describe(obj):
    try:
        return TRACKED[type(obj)].describe(obj)
    except Exception:  # a description reading something not loaded yet: none then
        return None
