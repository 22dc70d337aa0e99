"""Undo: one field change, one record's changes in a run, or a whole run.

A revert writes the before-values back through the models, so the history records it as new
changes (source "revert", each naming the change it undoes); it never erases a row. A field
changed again since (its value is no longer what the change left) is not touched: it is a
conflict, listed. What the run archived comes back (archived_at is a field like the others);
what it created is archived here (never deleted, never touched in PCO); a row it removed is
made again here without its PCO id. Review merges are not reverted here.

PCO follows by the existing push: a restored value differs from the state agreed with PCO, so
the next push sends it (for a push run, that is the PATCH back to PCO's before-values). The plan
says how many PCO writes that push will make and which push it is; the caller starts it, with
the admin's confirmation carried past the guard.
"""
import json
from dataclasses import dataclass, field

from sqlalchemy import exists, select
from sqlalchemy.orm import aliased

from ...extensions import db
from ...models import (
    CREATED, DELETED, PULL_ONLY_PERSON_FIELDS, ChangeSource, FieldChange, FieldSync, FieldValue,
    SyncRun, utcnow,
)
from ..runs import kinds
from .capture import REVERTS
from .context import recording
from .tracked import BY_NAME, NOT_REVERTED, decode, encode

ARCHIVABLE = ("Person", "Family", "Group")
LOCAL_ONLY_FIELDS = frozenset(PULL_ONLY_PERSON_FIELDS) | NOT_REVERTED
# The record a push sends each kind of row with, as the run kinds' `retries` name them.
PUSHED_WITH = {"Person": "Person", "Email": "Person", "PhoneNumber": "Person",
               "FieldValue": "Person", "Address": "Person", "Family": "Family",
               "FamilyMember": "Family", "GroupMembership": "Membership"}


class RevertError(ValueError):
    """A revert that cannot be made as asked; the message says why."""


@dataclass
class Restore:
    """One field of one record back to its value before the changes `rows` (oldest first)."""
    rows: list

    @property
    def first(self):
        return self.rows[0]

    @property
    def last(self):
        return self.rows[-1]

    @property
    def key(self):
        return (self.first.record_type, self.first.record_id)


@dataclass
class Plan:
    restores: list = field(default_factory=list)  # Restore: fields written back
    conflicts: list = field(default_factory=list)  # (Restore, current value): changed since
    archives: list = field(default_factory=list)  # created rows: archived here
    remakes: list = field(default_factory=list)  # deleted rows: made again here
    kept: list = field(default_factory=list)  # created rows that are kept (a contact point)
    done: bool = False

    @property
    def records(self):
        made = {(c.record_type, c.record_id) for c in self.archives + self.remakes}
        return {r.key for r in self.restores} | made

    @property
    def pco_writes(self):
        """Records the next push will write to PCO because of this revert."""
        return len({r.key for r in self.restores if _pushed(r.first)}
                   | {(c.record_type, c.record_id) for c in self.remakes
                      if c.record_type in PUSHED_WITH})

    @property
    def push_kind(self):
        types = {r.first.record_type for r in self.restores if _pushed(r.first)}
        types |= {c.record_type for c in self.remakes if c.record_type in PUSHED_WITH}
        pushes = {kinds.retry_for(PUSHED_WITH[name]) for name in types}
        if not pushes:
            return None
        return pushes.pop() if len(pushes) == 1 else kinds.FULL_PUSH

    def sentence(self):
        text = (f"{len(self.restores)} field{_s(self.restores)} on {len(self.records)} "
                f"record{_s(self.records)}")
        if self.archives:
            text += f", {len(self.archives)} record{_s(self.archives)} archived"
        if self.remakes:
            text += f", {len(self.remakes)} removed record{_s(self.remakes)} made again"
        text += f"; {self.pco_writes} PCO write{_s(range(self.pco_writes))} will follow"
        if self.conflicts:
            text += (f"; {len(self.conflicts)} field{_s(self.conflicts)} changed again since "
                     "will not be reverted")
        return text


def _s(items):
    return "" if len(items) == 1 else "s"


def _pushed(change):
    if change.field in LOCAL_ONLY_FIELDS or change.record_type not in PUSHED_WITH:
        return False
    if change.record_type == "FieldValue":
        value = db.session.get(FieldValue, change.record_id)
        return value is not None and value.definition.sync == FieldSync.BOTH
    return True


# -- what a revert would do -----------------------------------------------------------------

def run_ids(run_id):
    run = db.session.get(SyncRun, run_id)
    if run is None:
        raise RevertError(f"There is no run {run_id}.")
    return [run.id] + [step.id for step in run.steps]


def plan_run(run_id, record=None):
    """The revert of a whole run, or of one record's changes in it (`record`: (type, id))."""
    query = select(FieldChange).where(FieldChange.run_id.in_(run_ids(run_id)))
    if record is not None:
        query = query.where(FieldChange.record_type == record[0],
                            FieldChange.record_id == record[1])
    return plan(db.session.scalars(_not_reverted(query).order_by(FieldChange.id)).all())


def plan_change(change_id):
    change = db.session.get(FieldChange, change_id)
    if change is None:
        raise RevertError("That change is not in the history (any more).")
    if change.source == ChangeSource.REVIEW:
        raise RevertError("A review action is undone from the review queue, not here.")
    return plan([change])


def undoable(change):
    """Whether one change of a value may be undone on its own (a review action, a PCO link,
    a record added or removed may not: a run's revert does those)."""
    return (change.source != ChangeSource.REVIEW
            and change.field not in NOT_REVERTED | {CREATED, DELETED})


def undone_by(change_id):
    """The change that already undid `change_id`, or None."""
    return db.session.scalar(select(FieldChange).where(FieldChange.reverts_id == change_id)
                             .limit(1))


def _not_reverted(query):
    undo = aliased(FieldChange)
    return query.where(~exists().where(undo.reverts_id == FieldChange.id),
                       FieldChange.source != ChangeSource.REVIEW)


def plan(rows):
    result, grouped = Plan(), {}
    for row in rows:
        if row.field == CREATED:
            (result.archives if row.record_type in ARCHIVABLE else result.kept).append(row)
        elif row.field == DELETED:
            result.remakes.append(row)
        elif row.field not in NOT_REVERTED:
            grouped.setdefault((row.record_type, row.record_id, row.field), []).append(row)
    for group in grouped.values():
        restore = Restore(group)
        current = _current(restore.first)
        if current != restore.last.after:
            result.conflicts.append((restore, current))
        else:
            result.restores.append(restore)
    return result


def _current(change):
    obj = _record(change)
    return "(removed)" if obj is None else encode(getattr(obj, change.field))


def _record(change):
    return db.session.get(BY_NAME[change.record_type].model, change.record_id)


# -- doing it -------------------------------------------------------------------------------

def apply(plan, user_id=None):
    """Write the plan back (one commit); the plan is returned, marked done."""
    reverts = db.session.info.setdefault(REVERTS, {})
    with recording(ChangeSource.REVERT, user_id=user_id):
        for restore in plan.restores:
            obj = _record(restore.first)
            setattr(obj, restore.first.field, decode(restore.first.record_type,
                                                     restore.first.field, restore.first.before))
            reverts[(db.inspect(obj), restore.first.field)] = restore.last.id
        for change in plan.archives:
            _archive(change)
        for change in plan.remakes:
            db.session.add(_remade(change))
        db.session.commit()
    db.session.info.pop(REVERTS, None)
    plan.done = True
    return plan


def _archive(change):
    obj = _record(change)
    if obj is not None and obj.archived_at is None:
        obj.archived_at = utcnow()


# A row made again is local: PCO ids and the sync's own bookkeeping are not copied back.
NOT_REMADE = ("id", "created_at", "updated_at", "from_pco")


def _remade(change):
    model = BY_NAME[change.record_type].model
    values = json.loads(change.before or "{}")
    return model(**{name: decode(change.record_type, name, text) for name, text in values.items()
                    if name not in NOT_REMADE and not name.startswith("pco_")})
