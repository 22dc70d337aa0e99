"""What each PCO event does locally. A handler returns a short outcome note; it never commits.

Webhook payloads are hints: people and households are re-fetched with their contact points or
members, so a late or out-of-order delivery applies PCO's newest data, never older data.
"""
from datetime import datetime, timezone

from sqlalchemy import select

from ...extensions import db
from ...models import Group, GroupMembership, Person, utcnow
from ...pco import schemas
from ...pco.errors import PCONotFound
from ..rules.contact_kinds import BY_PCO_TYPE
from ..rules.merge import SKIPPED
from ..rules.mergers import apply_person_merger
from ..rules.review_items import file_archived_by_pco
from ..pull.choices import ensure_known, group_tag_names
from ..pull.listing import people_by_pco_id
from ..pull.families import apply_household, find_family, removed_from_households
from ..pull.groups import apply_group, apply_membership, removed_from_group
from ..pull.people import apply_people_page


def _data(payload):
    data = payload.get("data") or {}
    if not isinstance(data, dict) or not data.get("id"):
        raise ValueError("payload has no data.id")
    return data


def _related_id(data, name):
    rel = (data.get("relationships") or {}).get(name) or {}
    ref = rel.get("data") if isinstance(rel, dict) else None
    return str(ref["id"]) if isinstance(ref, dict) and ref.get("id") else None


def parse_time(value):
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _local_person(pco_id):
    return db.session.scalar(select(Person).where(Person.pco_id == pco_id))


def refresh_person(client, pco_id, log):
    """Fetch the person with contact points and apply it like one record of a pull page."""
    try:
        resource = client.get_person(pco_id)
    except PCONotFound:
        return "person no longer in PCO"
    record = schemas.load_person(resource)
    ensure_known(client, [record], log)
    apply_people_page([record], log)
    return log.outcomes[-1] if log.outcomes else SKIPPED


def person_changed(client, payload, log):
    data = _data(payload)
    person = _local_person(str(data["id"]))
    updated_at = (data.get("attributes") or {}).get("updated_at")
    if person is not None and person.pco_updated_at and updated_at:
        incoming = parse_time(updated_at)
        if incoming is not None and incoming <= person.pco_updated_at:
            return SKIPPED  # we hold this version or a newer one (our own push's echo, too)
    return refresh_person(client, str(data["id"]), log)


def person_destroyed(client, payload, log):
    person = _local_person(str(_data(payload)["id"]))
    if person is None or person.archived_at is not None:
        return SKIPPED
    person.archived_at = utcnow()  # a tombstone: every local field is kept
    file_archived_by_pco(log, "Person", person, person.pco_id)
    return "archived"


def contact_changed(client, payload, log):
    person_id = _related_id(_data(payload), "person")
    if person_id is None:
        raise ValueError("contact point payload names no person")
    return refresh_person(client, person_id, log)


def contact_destroyed(client, payload, log):
    data = _data(payload)
    person_id = _related_id(data, "person")
    if person_id is not None and _local_person(person_id) is not None:
        return refresh_person(client, person_id, log)
    kind = BY_PCO_TYPE.get(data.get("type"))
    if kind is None:
        return SKIPPED
    item = db.session.scalar(select(kind.model).where(kind.model.pco_id == str(data["id"])))
    if item is None:
        return SKIPPED
    db.session.delete(item)
    return "removed"


def household_changed(client, payload, log):
    household_id = str(_data(payload)["id"])
    try:
        record = schemas.load_household(client.get_household(household_id))
    except PCONotFound:
        return "household no longer in PCO"
    people = people_by_pco_id(record["member_pco_ids"] + [record["primary_contact_pco_id"]])
    removed = removed_from_households([household_id]).get(household_id, set())
    outcome, _ = apply_household(record, find_family(household_id), people, log, removed)
    return outcome


def household_destroyed(client, payload, log):
    family = find_family(str(_data(payload)["id"]))
    if family is None or family.archived_at is not None:
        return SKIPPED
    family.archived_at = utcnow()
    file_archived_by_pco(log, "Household", family, family.pco_household_id)
    return "archived"


def _fetch_group(client, group_id):
    """The group with its type, location and tags by name (tags from the local list)."""
    record = schemas.load_group(client.get_group(group_id))
    return {**record, "tags": group_tag_names(client, group_id, record["tag_ids"])}


def _local_group(client, group_id):
    group = db.session.scalar(select(Group).where(Group.pco_group_id == group_id))
    if group is None:
        _, group = apply_group(_fetch_group(client, group_id))
    return group


def group_changed(client, payload, log):
    group_id = str(_data(payload)["id"])
    try:
        outcome, _ = apply_group(_fetch_group(client, group_id))
    except PCONotFound:
        return "group no longer in PCO"
    return outcome


def group_destroyed(client, payload, log):
    group = db.session.scalar(select(Group).where(Group.pco_group_id == str(_data(payload)["id"])))
    if group is None or group.archived_at is not None:
        return SKIPPED
    group.archived_at = utcnow()
    return "archived"


def membership_changed(client, payload, log):
    data = _data(payload)
    group_id = _related_id(data, "group")
    record = schemas.load_group_membership(data, group_pco_id=group_id)
    group = _local_group(client, record["group_pco_id"])
    people = people_by_pco_id([record["person_pco_id"]])
    return apply_membership(group, record, people, log, removed_from_group(group))


def membership_destroyed(client, payload, log):
    membership = db.session.scalar(select(GroupMembership).where(
        GroupMembership.pco_membership_id == str(_data(payload)["id"])))
    if membership is None:
        return SKIPPED
    db.session.delete(membership)
    return "removed"


def person_merged(client, payload, log):
    """PCO merged two people: the removed one's local links move to the kept one."""
    data = _data(payload)
    attributes = data.get("attributes") or {}
    keep_id = str(attributes.get("person_to_keep_id") or _related_id(data, "person_to_keep"))
    remove_id = str(attributes.get("person_to_remove_id") or _related_id(data, "person_to_remove"))
    return apply_person_merger(keep_id, remove_id, log)
