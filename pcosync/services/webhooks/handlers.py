"""What each People event does locally (Groups events: group_handlers.py). A handler returns a
short outcome note; it never commits.

Payload first: PCO's created and updated deliveries carry the whole record (a person's every
attribute and `updated_at`, a contact point with its person, a household with its people and
primary contact, a membership with its group and person), and the record is applied as it is,
with the pull's matcher, merge rules (rules/merge.apply_person, the three-way merge) and stale
check: a payload older than the version held is not applied. Destroyed deliveries carry ids
and relationships only: a person or household is archived, a contact point or membership
removed (a contact point edited here since the last sync becomes a conflict for review).

A person's payload carries no contact points (their own events bring them: the agreed state
keeps the rows it holds) and, of the choices, only `primary_campus`: the others (marital
status, inactive reason, name prefix and suffix, school) keep the values held until the next
Quick Sync reads that person. PCO is read (reads.py: one request, after the batch's commit)
only when the payload lacks what the rules need:
- a person event for someone not linked here: the matcher needs their emails;
- a contact point event whose person is not linked here;
- an update stamped with the `updated_at` held but saying something else (two edits in one
  second: which is newer cannot be told), or a payload missing attributes;
- a campus or option the person names that is unknown here (that option alone);
- a group not known here (with its type, location and tags), and a membership whose group or
  person is not here (group_handlers.py).
Deliveries of one record waiting together are coalesced first (batch.py): such a read is made
once for all of them.
"""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import Person, utcnow
from ...pco import schemas
from ...pco.profile_schemas import BY_FIELD, load_choice
from ..pull.choices import ensure_known
from ..pull.families import apply_household, find_family, removed_from_households
from ..pull.listing import people_by_pco_id
from ..pull.people import apply_people_page
from ..rules import choices
from ..rules.contact_kinds import BY_PCO_TYPE, CONTACT_KINDS
from ..rules.merge import SKIPPED, apply_person, is_stale
from ..rules.mergers import apply_person_merger
from ..rules.review_items import file_archived_by_pco, file_conflict
from ..rules.state import (
    PLAIN_FIELDS, contact_rows, contact_values, digest, person_state_from_pco, with_contact,
    without_contact,
)
from ..rules.three_way import plan_contacts
from . import payloads
from .reads import or_none, read_then_apply

_PEOPLE, _MEMO = "pcosync.webhook_people", "pcosync.webhook_memo"
# What the merge reads of a person besides the row: contact points and custom-field values.
PERSON_LOADS = tuple(selectinload(getattr(Person, name)) for name in (
    *(kind.name for kind in CONTACT_KINDS), "field_values"))
NOT_LINKED = "not linked here yet: the matcher needs their emails"
TIED = "stamped with the updated_at held but saying something else"
INCOMPLETE = "the payload lacks attributes the rules read"


def payload_data(payload):
    data = payload.get("data") or {}
    if not isinstance(data, dict) or not data.get("id"):
        raise ValueError("payload has no data.id")
    return data


def related_pco_id(data, name):
    rel = (data.get("relationships") or {}).get(name) or {}
    ref = rel.get("data") if isinstance(rel, dict) else None
    return str(ref["id"]) if isinstance(ref, dict) and ref.get("id") else None


def local_person(pco_id):
    if pco_id is None:
        return None
    person = (db.session.info.get(_PEOPLE) or {}).get(pco_id)
    if person is not None and person.pco_id == pco_id:
        return person
    return db.session.scalar(select(Person).where(Person.pco_id == pco_id))


def prefetch_people(payload_list):
    """Load the people these payloads name, with what their merge reads, in a few queries for
    many deliveries instead of several per delivery (kept until forget_people)."""
    wanted = set()
    for payload in payload_list:
        data = payloads.data_of(payload)
        if data.get("type") == "Person":
            wanted.add(str(data.get("id")))
        wanted.update(filter(None, (related_pco_id(data, "person"),
                                    related_pco_id(data, "primary_contact"),
                                    related_pco_id(data, "customizable"))))  # a field datum
    known = db.session.info.setdefault(_PEOPLE, {})
    known.update(people_by_pco_id(wanted - set(known), *PERSON_LOADS))


def forget_people():
    """The batch's transaction ended: what was kept for it is read again next time."""
    db.session.info.pop(_PEOPLE, None)
    db.session.info.pop(_MEMO, None)


def memo(key, load):
    """`load()` once per batch transaction (a group, its pending removals: a burst of
    memberships names the same few groups again and again)."""
    kept = db.session.info.setdefault(_MEMO, {})
    if key not in kept:
        kept[key] = load()
    return kept[key]


def _linked(person):
    """Merged here before: the payload can be merged against the state agreed then."""
    return person is not None and person.pco_synced_state is not None


# -- people ----------------------------------------------------------------------------------

def read_person(client, log, pco_id, reason):
    """The person with contact points and choices, applied like one record of a pull page."""
    return read_then_apply(client, log, f"person {pco_id}: {reason}",
                           lambda c: or_none(c.get_person, pco_id), apply_read_person,
                           key=("Person", pco_id))


def apply_read_person(resource, client, log):
    if resource is None:
        return "person no longer in PCO"
    record = schemas.load_person(resource)
    ensure_known(client, [record], log)
    apply_people_page([record], log)
    return log.outcomes[-1] if log.outcomes else SKIPPED


def person_changed(client, payload, log):
    data = payload_data(payload)
    pco_id = str(data["id"])
    person = local_person(pco_id)
    if not payloads.carries_person(data):
        return read_person(client, log, pco_id, INCOMPLETE)
    if not _linked(person):
        return read_person(client, log, pco_id, NOT_LINKED)
    record = schemas.load_person(data)
    if _tied(person, record):
        return read_person(client, log, pco_id, TIED)
    unknown = choices.unknown_ids([record])
    if unknown:
        return read_then_apply(client, log, f"person {pco_id}: an option unknown here",
                               lambda c: read_options(c, unknown),
                               lambda found, c, log: apply_person_payload(record, log, found))
    return apply_person_payload(record, log)


def _tied(person, record):
    if person.pco_updated_at is None or record["pco_updated_at"] != person.pco_updated_at:
        return False
    state = person_state_from_pco(record, person.pco_synced_state)
    return digest(state) != person.pco_synced_hash


def read_options(client, unknown):
    """(field, PCO id, value) of each option the person names that is unknown here."""
    found = []
    for field, pco_id in sorted(unknown):
        resource = or_none(client.get_choice, BY_FIELD[field], pco_id)
        if resource is not None:
            item = load_choice(resource, BY_FIELD[field])
            found.append((field, item["pco_id"], item["value"]))
    return found


def apply_person_payload(record, log, options=()):
    for field, pco_id, value in options:
        choices.learn(field, pco_id, value)
    choices.prepare([record])  # an option still unknown is left out: not said
    outcome, _ = apply_person(local_person(record["pco_id"]), record, log)
    log.count(outcome)
    return outcome


def person_destroyed(client, payload, log):
    person = local_person(str(payload_data(payload)["id"]))
    if person is None or person.archived_at is not None:
        return SKIPPED
    person.archived_at = utcnow()  # a tombstone: every local field is kept
    file_archived_by_pco(log, "Person", person, person.pco_id)
    return "archived"


def person_reread(client, payload, log):
    """Several deliveries stamped alike say different things: PCO's current record decides."""
    return read_person(client, log, str(payload_data(payload)["id"]), TIED)


def person_merged(client, payload, log):
    """PCO merged two people: the removed one's local links move to the kept one."""
    data = payload_data(payload)
    attributes = data.get("attributes") or {}
    keep_id = attributes.get("person_to_keep_id") or related_pco_id(data, "person_to_keep")
    remove_id = attributes.get("person_to_remove_id") or related_pco_id(data, "person_to_remove")
    keep_id, remove_id = str(keep_id), str(remove_id)
    return apply_person_merger(keep_id, remove_id, log)


# -- contact points --------------------------------------------------------------------------

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
    person = local_person(person_id)
    if not payloads.carries_contact(data):
        return read_person(client, log, person_id, INCOMPLETE)
    if not _linked(person):
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
    item = db.session.scalar(select(kind.model).where(kind.model.pco_id == pco_id))
    person = item.person if item is not None and item.person_id else local_person(
        related_pco_id(data, "person"))
    if not _linked(person):
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
    return read_person(client, log, person_id, TIED)


# -- households ------------------------------------------------------------------------------

def household_changed(client, payload, log):
    data = payload_data(payload)
    if not payloads.carries_household(data):
        return read_household(client, log, str(data["id"]), INCOMPLETE)
    return apply_household_record(schemas.load_household(data), log)


def read_household(client, log, household_id, reason):
    return read_then_apply(client, log, f"household {household_id}: {reason}",
                           lambda c: or_none(c.get_household, household_id),
                           _apply_read_household, key=("Household", household_id))


def _apply_read_household(resource, client, log):
    if resource is None:
        return "household no longer in PCO"
    return apply_household_record(schemas.load_household(resource), log)


def apply_household_record(record, log):
    household_id = record["pco_household_id"]
    people = people_by_pco_id(record["member_pco_ids"] + [record["primary_contact_pco_id"]])
    removed = removed_from_households([household_id]).get(household_id, set())
    outcome, _ = apply_household(record, find_family(household_id), people, log, removed)
    return outcome


def household_reread(client, payload, log):
    return read_household(client, log, str(payload_data(payload)["id"]), TIED)


def household_destroyed(client, payload, log):
    family = find_family(str(payload_data(payload)["id"]))
    if family is None or family.archived_at is not None:
        return SKIPPED
    family.archived_at = utcnow()
    file_archived_by_pco(log, "Household", family, family.pco_household_id)
    return "archived"
