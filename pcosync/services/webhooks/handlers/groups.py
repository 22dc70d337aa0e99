"""Groups events: groups and memberships (the rules every handler follows: handlers/__init__).

A group's payload carries its attributes, and its type and location as bare references: a known
group takes the attributes at once and keeps its type, location and tags until the next Sync
Groups (their names are not in the payload). A group not known here is read from PCO with them
(rare: PCO's API cannot create groups, an admin makes them). A membership's payload carries its
role, joined_at, group and person: applied as it is; its group or person is read only when not
here. Groups and memberships have no `updated_at`: deliveries apply in PCO's order.
"""
from sqlalchemy import select

from ....extensions import db
from ....models import Group, GroupMembership, utcnow
from ....pco import schemas
from ...pull.choices import group_tag_names
from ...pull.groups import (
    apply_found_group, apply_group, apply_membership, pco_groups_department, removed_from_group,
)
from ...rules.erasures import skipped_note
from ...rules.merge import SKIPPED
from .. import payloads
from .common import (
    INCOMPLETE, apply_read_person, erased, local_person, memo, payload_data, related_pco_id,
)
from ..reads import or_none, read_then_apply
from .scope import belongs_outside_scope, new_group_outside_scope


def _find_group(group_id):
    group = memo(("group", group_id), lambda: db.session.scalar(
        select(Group).where(Group.pco_group_id == group_id)))
    if group is None:  # not here when first asked: it may have been read since
        return db.session.scalar(select(Group).where(Group.pco_group_id == group_id))
    return group


def read_group(client, group_id):
    """The group with its type, location and tags by name (tags from the local list), or
    None when PCO no longer has it."""
    resource = or_none(client.get_group, group_id)
    if resource is None:
        return None
    record = schemas.load_group(resource)
    return {**record, "tags": group_tag_names(client, group_id, record["tag_ids"])}


def _apply_read_group(record, client, log):
    if record is None:
        return "group no longer in PCO"
    outcome, _ = apply_group(record)
    return outcome


def group_changed(client, payload, log):
    data = payload_data(payload)
    group_id = str(data["id"])
    group = _find_group(group_id)
    if group is None and (outside := new_group_outside_scope()):
        return outside
    if group is None or not payloads.carries_group(data):
        reason = "not known here" if payloads.carries_group(data) else INCOMPLETE
        return read_then_apply(client, log, f"group {group_id}: {reason}",
                               lambda c: read_group(c, group_id), _apply_read_group,
                               key=("Group", group_id))
    record = schemas.load_group(data)
    for key in payloads.group_names_not_sent(data):
        record.pop(key, None)
    outcome, _ = apply_found_group(record, group, pco_groups_department)
    return outcome


def group_destroyed(client, payload, log):
    group = _find_group(str(payload_data(payload)["id"]))
    if group is None or group.archived_at is not None:
        return SKIPPED
    group.archived_at = utcnow()
    return "archived"


def membership_changed(client, payload, log):
    data = payload_data(payload)
    record = schemas.load_group_membership(data, group_pco_id=related_pco_id(data, "group"))
    if erased(record["person_pco_id"]):
        return skipped_note(record["person_pco_id"])
    if outside := belongs_outside_scope(record["person_pco_id"],
                                        local_person(record["person_pco_id"])):
        return outside
    group_here = _find_group(record["group_pco_id"]) is not None
    person_here = local_person(record["person_pco_id"]) is not None
    if group_here and person_here:
        return _apply_membership(record, log)
    return read_then_apply(
        client, log, f"membership {record['pco_membership_id']}: its group or person is not here",
        lambda c: _read_missing(c, record, group_here, person_here),
        lambda found, c, log: _apply_after_read(found, record, c, log))


def _read_missing(client, record, group_here, person_here):
    group = None if group_here else read_group(client, record["group_pco_id"])
    person = None if person_here else or_none(client.get_person, record["person_pco_id"])
    return group, person


def _apply_after_read(found, record, client, log):
    group, person = found
    if group is not None:
        apply_group(group)
    if person is not None:
        apply_read_person(person, client, log)
    if _find_group(record["group_pco_id"]) is None:
        return "group no longer in PCO"
    return _apply_membership(record, log)


def _apply_membership(record, log):
    group = _find_group(record["group_pco_id"])
    person = local_person(record["person_pco_id"])
    removed = memo(("removed from group", group.pco_group_id), lambda: removed_from_group(group))
    return apply_membership(group, record, {person.pco_id: person} if person else {}, log,
                            removed)


def membership_destroyed(client, payload, log):
    membership = db.session.scalar(select(GroupMembership).where(
        GroupMembership.pco_membership_id == str(payload_data(payload)["id"])))
    if membership is None:
        return SKIPPED
    if outside := belongs_outside_scope(membership.person.pco_id, membership.person):
        return outside
    # Out of its group's collection too: a membership made next in the same batch must not
    # find it there (delete-orphan deletes it).
    membership.group.memberships.remove(membership)
    return "removed"
