"""Apply a PCO person to a local one. A person linked and agreed with PCO before is merged
field by field against that agreement (rules/three_way.py): what only PCO changed is taken,
what only we changed is kept for the next push, and a true conflict takes PCO's value and asks
a human. A person met for the first time takes PCO's record (PCO is authoritative). Local-only
contact points and operational fields (allergies, photo, verification status) are never
touched. Unchanged means no write at all; older than held means not applied.
"""
from sqlalchemy import bindparam, event, select, update
from sqlalchemy.orm import Session

from ...extensions import db
from ...models import Outcome, Person, PersonStatus, utcnow
from . import choices, custom_fields, versions
from .contact_kinds import CONTACT_KINDS
from .review_items import file_conflict
from .state import (
    PLAIN_FIELDS, contact_rows, digest, person_state_from_local, person_state_from_pco,
)
from .three_way import merge_fields, plan_contacts

CREATED, UPDATED, SKIPPED = Outcome.CREATED, Outcome.UPDATED, Outcome.SKIPPED


def is_stale(held, incoming):
    """A late webhook or an old page must not roll newer data back."""
    return held is not None and incoming is not None and incoming < held


def is_unchanged(held_updated_at, held_hash, record, stored=None):
    """What apply_person would skip for a person already linked to this record's PCO id
    (`stored`: their synced state, for the choices a record may not carry)."""
    return (is_stale(held_updated_at, record["pco_updated_at"])
            or held_hash == digest(person_state_from_pco(record, stored)))


def unchanged_pco_ids(records, held):
    """PCO ids of the records a pull would skip; `held`: the linked people's synced stamp and
    hash by PCO id, from one light query (erasures.linked_and_erased): a page of unchanged
    people costs no person objects and none of their contact points."""
    return {r["pco_id"] for r in records
            if (row := held.get(r["pco_id"])) is not None
            and is_unchanged(row.pco_updated_at, row.pco_synced_hash, r)}


def keep_versions(records, unchanged, held):
    """Stamp the people of `unchanged` whose state is the one agreed but whose stamp is not
    this version's (agreed before stamps, or under another recipe: rules/versions.py), in one
    statement: the next pull skips them unloaded. Not one sent older than held."""
    rows = [{"b_pco_id": record["pco_id"], "b_stamp": new}
            for record in records if record["pco_id"] in unchanged
            and not is_stale(held[record["pco_id"]].pco_updated_at, record["pco_updated_at"])
            and (new := versions.stamp(record.get("pco_version"))) is not None
            and new != held[record["pco_id"]].pco_version_stamp]
    if rows:  # bookkeeping, not a change of theirs: their updated_at stays
        table = Person.__table__
        db.session.execute(update(table).where(table.c.pco_id == bindparam("b_pco_id")).values(
            pco_version_stamp=bindparam("b_stamp"), updated_at=table.c.updated_at), rows)


def apply_person(person, record, log=None):
    """Merge `record` (from schemas.load_person) into `person` (None: create). Returns the
    outcome (created, updated or skipped) and the person. `log` (a run's Progress or a
    webhook's log) receives the conflicts for the review queue."""
    if person is None:
        person = Person(pco_id=record["pco_id"])
        db.session.add(person)
        _write(person, record)
        return CREATED, person
    if is_stale(person.pco_updated_at, record["pco_updated_at"]) or (
            person.pco_id == record["pco_id"]
            and is_unchanged(person.pco_updated_at, person.pco_synced_hash, record,
                             person.pco_synced_state)):
        return SKIPPED, person
    if person.pco_id == record["pco_id"] and person.pco_synced_state is not None:
        _merge(person, record, log)
    else:  # first met (matched by email or name): PCO's record is the one to hold
        person.pco_id = record["pco_id"]
        _write(person, record)
    return UPDATED, person


def _write(person, record):
    # rules/bulk_create.py writes the same rows for the new people of a page at once: a change
    # here goes there too (tests/pull/test_bulk_writes.py holds the two equal).
    restore_if_reactivated(person, record)
    take_fields(person, record, PLAIN_FIELDS)
    choices.write(person, record)
    for kind in CONTACT_KINDS:
        merge_contacts(person, kind, record[kind.name],
                       remove_missing=record.get("contacts_included", True))
    custom_fields.write(person, record)
    agree_with(person, record)


def _merge(person, record, log):
    """The three-way merge against the state last agreed with PCO."""
    restore_if_reactivated(person, record)
    base = person.pco_synced_state
    local, remote = person_state_from_local(person), person_state_from_pco(record, base)
    take, conflicts = merge_fields(list(PLAIN_FIELDS) + list(choices.RELATION_FIELDS), base,
                                   local, remote)
    take_fields(person, record, [name for name in take if name in PLAIN_FIELDS])
    carried = record.get("choices") or {}
    choices.write(person, {"choices": {name: carried[name] for name in take if name in carried}})
    for kind in CONTACT_KINDS:
        conflicts += _merge_contacts(person, kind, record, base, local, remote)
    conflicts += custom_fields.merge(person, record, base, local, remote)
    for conflict in conflicts:
        if log is not None:
            file_conflict(log, person, conflict)
    agree_with(person, record)


def take_fields(person, record, names):
    for name in names:
        value = record.get(name)
        if name == "status":
            value = value if value in tuple(PersonStatus) else PersonStatus.ACTIVE
        if name == "child":
            value = bool(value)
        if getattr(person, name) != value:
            setattr(person, name, value)


def agree_with(person, record):
    """PCO's record is now the state agreed with PCO: local edits it did not contradict stay
    on the row, and the next push sends them (they differ from the agreed state)."""
    person.pco_updated_at = record["pco_updated_at"] or person.pco_updated_at
    person.pco_synced_state = person_state_from_pco(record, person.pco_synced_state)
    person.pco_synced_hash = digest(person.pco_synced_state)
    person.pco_version_stamp = versions.stamp(record.get("pco_version"))  # after the hash
    person.pco_synced_at = utcnow()


def restore_if_reactivated(person, record):
    """Archived here means inactive in PCO: someone PCO made active again (it held them
    inactive) is back in the directory."""
    was = (person.pco_synced_state or {}).get("status")
    if (person.archived_at is not None and was == PersonStatus.INACTIVE
            and record.get("status") == PersonStatus.ACTIVE):
        person.archived_at = None


def fill_blanks(person, record):
    """Linking must not erase what PCO knows and we do not (a middle name, a birthdate, a
    marital status)."""
    for name in PLAIN_FIELDS:
        if getattr(person, name) is None and record.get(name) is not None:
            setattr(person, name, record[name])
    choices.fill_blanks(person, record)
    custom_fields.fill_blanks(person, record)


def merge_contacts(person, kind, incoming, remove_missing=True):
    """Bring the PCO-linked contact points of one kind in line with PCO's list."""
    current = kind.items(person)
    by_pco_id = {c.pco_id: c for c in current if c.pco_id}
    local_only = {kind.match_key(kind.values(c)): c for c in current if not c.pco_id}
    seen = set()
    for data in incoming:
        seen.add(data["pco_id"])
        item = by_pco_id.get(data["pco_id"]) or local_only.pop(kind.match_key(data), None)
        if item is None:
            item = kind.model(pco_id=data["pco_id"])
            current.append(item)
        set_contact(item, data, kind.fields)
    if remove_missing:
        for item in [c for c in current if c.pco_id and c.pco_id not in seen]:
            current.remove(item)


def set_contact(item, data, fields):
    item.pco_id = data["pco_id"]
    item.pco_updated_at = data.get("pco_updated_at")
    for name in fields:
        value = bool(data.get(name)) if name == "is_primary" else data.get(name)
        if getattr(item, name) != value:
            setattr(item, name, value)


def _merge_contacts(person, kind, record, base, local, remote):
    """One kind of contact point, three ways (by PCO id); returns the conflicts."""
    linked = {pco_id: values for pco_id, values in contact_rows(local, kind.name).items()
              if pco_id is not None}
    plan = plan_contacts(kind.name, contact_rows(base, kind.name), linked,
                         contact_rows(remote, kind.name),
                         complete=record.get("contacts_included", True))
    incoming = {data["pco_id"]: data for data in record[kind.name]}
    items = {item.pco_id: item for item in kind.items(person) if item.pco_id}
    for pco_id, values in plan.update.items():
        set_contact(items[pco_id], {**values, "pco_id": pco_id,
                                    "pco_updated_at": incoming[pco_id].get("pco_updated_at")},
                    list(values))
    _add_contacts(person, kind, [incoming[pco_id] for pco_id in plan.add])
    for pco_id in plan.remove:
        kind.items(person).remove(items[pco_id])
    return plan.conflicts


def _add_contacts(person, kind, added):
    """PCO's new contact points: a local-only one with the same value is linked to it; one
    still held by another local person (PCO merged the two, and we have not heard) moves here."""
    if not added:
        return
    held_elsewhere = {pco_id: item for pco_id, item in contacts_by_pco_id(
        kind, [data["pco_id"] for data in added]).items() if item.person_id != person.id}
    local_only = {kind.match_key(kind.values(c)): c for c in kind.items(person) if not c.pco_id}
    for data in added:
        item = held_elsewhere.get(data["pco_id"]) or local_only.pop(kind.match_key(data), None)
        if item is None:
            item = kind.model(pco_id=data["pco_id"])
        if item not in kind.items(person):
            kind.items(person).append(item)
        set_contact(item, data, kind.fields)
        _known_contacts(kind)[data["pco_id"]] = item  # a later record of the transaction sees it


# -- contact points by PCO id, loaded ahead for a transaction ----------------------------------

_CONTACTS = "pcosync.contacts_by_pco_id"


def load_contacts(kind, pco_ids):
    """Read the contact points of `kind` with these PCO ids once for the transaction:
    contacts_by_pco_id answers from them."""
    wanted = unknown_contacts(kind, pco_ids)
    if wanted:
        remember_contacts(kind, wanted, db.session.scalars(
            select(kind.model).where(kind.model.pco_id.in_(wanted))))


def unknown_contacts(kind, pco_ids):
    """Those of `pco_ids` contacts_by_pco_id would still have to read."""
    known = _known_contacts(kind)
    return {i for i in pco_ids if i and i not in known}


def remember_contacts(kind, pco_ids, items):
    """`items`: contact points of `kind` read with every one held under `pco_ids` (a webhook
    batch reads them with its people's, handlers/prefetch); contacts_by_pco_id answers for
    those ids from them until the transaction ends."""
    found = {item.pco_id: item for item in items if item.pco_id in pco_ids}
    _known_contacts(kind).update({pco_id: found.get(pco_id) for pco_id in pco_ids})


def contacts_by_pco_id(kind, pco_ids):
    """{PCO id: contact point here} of those held, from what load_contacts read, else read."""
    known = _known_contacts(kind)
    if not all(i in known for i in pco_ids):
        load_contacts(kind, pco_ids)
    return {i: known[i] for i in pco_ids if known[i] is not None}


def _known_contacts(kind):
    return db.session.info.setdefault(_CONTACTS, {}).setdefault(kind.name, {})


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_contacts(session):
    session.info.pop(_CONTACTS, None)
