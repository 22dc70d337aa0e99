"""Contact point events (emails, phone numbers, addresses: one handler for every kind in
rules/contact_kinds): the contact point merged into its person as agreed with PCO, or removed."""

from ....extensions import db
from ...rules.contact_kinds import BY_PCO_TYPE, CONTACT_KINDS
from ...rules.erasures import skipped_note
from ...rules.merge import SKIPPED, apply_person, contacts_by_pco_id, is_stale
from ...rules.review_items import file_conflict
from ...rules.state import (
    PLAIN_FIELDS, contact_rows, contact_values, digest, with_contact, without_contact,
)
from ...rules.three_way import plan_contacts
from .. import payloads
from .common import (
    INCOMPLETE, TIED, erased, linked, local_person, payload_data, read_person, related_pco_id,
)
from .scope import belongs_outside_scope


def _contact_kind(data):
    kind = BY_PCO_TYPE.get(data.get("type"))
    if kind is None:
        raise ValueError(f"not a contact point: {data.get('type')!r}")
    return kind


def contact_changed(client, payload, log):
    data = payload_data(payload)
    kind, person_id = _contact_kind(data), related_pco_id(data, "person")
    if person_id is None:
        raise ValueError("contact point payload names no person")
    if erased(person_id):
        return skipped_note(person_id)
    person = local_person(person_id)
    if outside := belongs_outside_scope(person_id, person):
        return outside
    if not payloads.carries_contact(data):
        return read_person(client, log, person_id, INCOMPLETE)
    if not linked(person):
        return read_person(client, log, person_id, "a contact point's person is not here")
    record = kind.load(data)
    held = next((i for i in kind.items(person) if i.pco_id == record["pco_id"]), None)
    if held is not None and is_stale(held.pco_updated_at, record["pco_updated_at"]):
        return SKIPPED
    if held is not None and held.pco_updated_at == record["pco_updated_at"]:
        agreed = contact_rows(person.pco_synced_state, kind.name).get(record["pco_id"])
        if agreed != contact_values(kind, record):
            return read_person(client, log, person_id, TIED)
    return _apply_contact(person, kind, record, log)


def _apply_contact(person, kind, record, log):
    """The person as agreed with PCO, with this one contact point as PCO now has it, through
    the same three-way merge as a pull (a local edit of it PCO did not contradict is kept)."""
    state = with_contact(person.pco_synced_state, kind.name, record)
    merged = record_from_state(person, state)
    merged[kind.name] = [record] + [item for item in merged[kind.name]
                                    if item["pco_id"] != record["pco_id"]]
    outcome, _ = apply_person(person, merged, log)
    log.count(outcome)
    return outcome


def record_from_state(person, state):
    """A loaded-person record saying what the agreed state says (no contact list complete)."""
    record = {name: state.get(name) for name in PLAIN_FIELDS}
    record.update(pco_id=person.pco_id, pco_updated_at=person.pco_updated_at,
                  contacts_included=False)
    for kind in CONTACT_KINDS:
        record[kind.name] = [dict(values, pco_id=pco_id)
                             for pco_id, values in contact_rows(state, kind.name).items()]
    return record


def contact_destroyed(client, payload, log):
    data = payload_data(payload)
    kind = BY_PCO_TYPE.get(data.get("type"))
    if kind is None:
        return SKIPPED
    pco_id = str(data["id"])
    item = contacts_by_pco_id(kind, [pco_id]).get(pco_id)
    person = item.person if item is not None and item.person_id else local_person(
        related_pco_id(data, "person"))
    if outside := belongs_outside_scope(related_pco_id(data, "person"), person):
        return outside
    if not linked(person):
        if item is None:
            return SKIPPED
        if item.person is not None:  # out of the collection too (delete-orphan deletes it)
            kind.items(item.person).remove(item)
        else:
            db.session.delete(item)
        return "removed"
    return _drop_contact(person, kind, pco_id, item, log)


def _drop_contact(person, kind, pco_id, item, log):
    """PCO deleted it: removed here too, and an edit made here since the last sync goes to the
    review queue (rules/three_way)."""
    agreed = contact_rows(person.pco_synced_state, kind.name).get(pco_id)
    here = item is not None and item.person_id == person.id
    local = {pco_id: contact_values(kind, kind.values(item))} if here else {}
    plan = plan_contacts(kind.name, {pco_id: agreed} if agreed else {}, local, {})
    if here and plan.remove:
        kind.items(person).remove(item)
    for conflict in plan.conflicts:
        file_conflict(log, person, conflict)
    if agreed is None and not plan.remove:
        return SKIPPED
    person.pco_synced_state = without_contact(person.pco_synced_state, kind.name, pco_id)
    person.pco_synced_hash = digest(person.pco_synced_state)
    return "removed"


def contact_reread(client, payload, log):
    data = payload_data(payload)
    person_id = related_pco_id(data, "person")
    if person_id is None:
        raise ValueError("contact point payload names no person")
    if erased(person_id):
        return skipped_note(person_id)
    if outside := belongs_outside_scope(person_id, local_person(person_id)):
        return outside
    return read_person(client, log, person_id, TIED)
