"""The field-level three-way merge a pull (or a webhook) does for a person PCO changed.

The base is the state last agreed with PCO (`Person.pco_synced_state`), local is the row now,
remote is PCO's record, all in the synced state's plain shape (rules/state.py). Per field:
- changed only in PCO: take PCO's value;
- changed only here: keep it (the next push sends it);
- changed on both sides to the same value: nothing to do;
- changed on both sides to different values: PCO wins, as the spec says, and the local value
  goes to the review queue for a one-click restore.
Contact points PCO holds are merged the same way, field by field, by PCO id; one deleted on
one side and edited on the other is a conflict too, never a silent loss or resurrection.
No database here: plain values in, decisions out.
"""
from dataclasses import dataclass, field
from typing import Optional

TAKE_PCO, KEEP_LOCAL = "pco", "local"
# What happened to a contact point on each side, for a conflict that is not about one field.
DELETED_IN_PCO, DELETED_HERE = "deleted in PCO, edited here", "deleted here, edited in PCO"


@dataclass
class Conflict:
    field: str  # a person field, or a contact point's field
    local: object
    remote: object
    kind: Optional[str] = None  # the contact kind's name, for a contact point
    pco_id: Optional[str] = None  # the contact point's PCO id
    change: Optional[str] = None  # DELETED_IN_PCO or DELETED_HERE, for a whole contact point
    values: dict = field(default_factory=dict)  # the contact point's values, when deleted


def merge_value(base, local, remote):
    """(TAKE_PCO or KEEP_LOCAL, whether it is a true conflict)."""
    if remote == base or local == remote:
        return KEEP_LOCAL, False  # PCO did not change it, or both agree already
    if local == base:
        return TAKE_PCO, False
    return TAKE_PCO, True


def merge_fields(names, base, local, remote):
    """(names to take from PCO, [Conflict]) for a person's fields."""
    take, conflicts = [], []
    for name in names:
        decision, conflict = merge_value(base.get(name), local.get(name), remote.get(name))
        if decision == TAKE_PCO:
            take.append(name)
        if conflict:
            conflicts.append(Conflict(name, local.get(name), remote.get(name)))
    return take, conflicts


@dataclass
class ContactPlan:
    """What to do with one kind of a person's PCO-linked contact points."""
    update: dict = field(default_factory=dict)  # pco_id -> {field: PCO's value}
    add: list = field(default_factory=list)  # PCO ids PCO has and we should have too
    remove: list = field(default_factory=list)  # PCO ids to delete here
    conflicts: list = field(default_factory=list)


def plan_contacts(kind, base_rows, local_rows, remote_rows, complete=True):
    """`*_rows`: {pco_id: {field: value}} of one kind (local: the linked ones only).
    `complete`: PCO's list is whole, so a contact point missing from it is gone from PCO."""
    plan = ContactPlan()
    for pco_id in dict.fromkeys([*remote_rows, *local_rows, *base_rows]):
        base, local, remote = (base_rows.get(pco_id), local_rows.get(pco_id),
                               remote_rows.get(pco_id))
        if remote is not None and local is not None:
            _merge_both(plan, kind, pco_id, base, local, remote)
        elif remote is not None:
            _only_in_pco(plan, kind, pco_id, base, remote)
        elif local is not None and complete:
            _only_here(plan, kind, pco_id, base, local)
    return plan


def _merge_both(plan, kind, pco_id, base, local, remote):
    if base is None:  # linked since the last agreement: PCO's copy is the one to hold
        plan.update[pco_id] = remote
        return
    take, conflicts = merge_fields(list(remote), base, local, remote)
    if take:
        plan.update[pco_id] = {name: remote[name] for name in take}
    for conflict in conflicts:
        conflict.kind, conflict.pco_id = kind, pco_id
    plan.conflicts += conflicts


def _only_in_pco(plan, kind, pco_id, base, remote):
    if base is None:
        plan.add.append(pco_id)  # new in PCO
    elif remote != base:  # deleted here, but PCO changed it meanwhile: PCO wins, and ask
        plan.add.append(pco_id)
        plan.conflicts.append(Conflict("", None, remote, kind, pco_id, DELETED_HERE, base))
    # else: deleted here, unchanged in PCO: the next push deletes it there


def _only_here(plan, kind, pco_id, base, local):
    plan.remove.append(pco_id)  # PCO deleted it: PCO wins
    if base is not None and local != base:  # ...but it was edited here: keep that for a human
        plan.conflicts.append(Conflict("", local, None, kind, pco_id, DELETED_IN_PCO, local))
