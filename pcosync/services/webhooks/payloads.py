"""What a PCO delivery's payload carries, read without the database.

Created and updated payloads hold the whole resource: every attribute (a person's or a contact
point's with its `updated_at`), the to-one relationships (a contact point's person, a
membership's group and person, a household's people and primary contact), `included: []` and
`meta.event_time`. Destroyed payloads hold ids and relationships only (facts 3.1). A payload
that lacks an attribute the loaders read is not applied as it is: its record is read from PCO.
"""
from dataclasses import dataclass
from datetime import datetime, timezone

from ...pco import schemas
from ...pco.group_schemas import GroupAttributes, GroupMembershipAttributes
from ..rules.contact_kinds import CONTACT_KINDS

EARLIEST = datetime.min.replace(tzinfo=timezone.utc)
# Groups and memberships have no updated_at, and tag_ids is sent only when asked for.
NOT_IN_GROUP_PAYLOADS = {"updated_at", "tag_ids"}


def _keys(schema, leave_out=frozenset()):
    fields = schema.fields.items()
    return frozenset(field.data_key or name for name, field in fields) - set(leave_out)


PERSON_KEYS = _keys(schemas.PersonAttributes())
CONTACT_KEYS = {kind.pco_type: _keys(kind.attributes) for kind in CONTACT_KINDS}
# PCO's payloads still name an address's street in one `street` (the loader splits it).
LEGACY_STREET = {"street": {"street_line_1", "street_line_2"}}
HOUSEHOLD_KEYS = _keys(schemas.HouseholdAttributes())
GROUP_KEYS = _keys(GroupAttributes(), NOT_IN_GROUP_PAYLOADS)
MEMBERSHIP_KEYS = _keys(GroupMembershipAttributes(), {"person_id"})
CONTACT_TYPES = {kind.pco_type for kind in CONTACT_KINDS}


def parse_time(value):
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def data_of(payload):
    data = payload.get("data") if isinstance(payload, dict) else None
    return data if isinstance(data, dict) else {}


def attributes_of(data):
    attributes = data.get("attributes")
    return attributes if isinstance(attributes, dict) else {}


def missing_attributes(data, wanted):
    """The attributes a loader reads that the payload does not carry (a sorted list)."""
    present = set(attributes_of(data))
    for legacy, modern in LEGACY_STREET.items():
        if legacy in present:
            present |= modern
    return sorted(wanted - present)


def has_relationship(data, name):
    relationship = (data.get("relationships") or {}).get(name)
    return isinstance(relationship, dict) and "data" in relationship


def carries_person(data):
    return not missing_attributes(data, PERSON_KEYS)


def carries_contact(data):
    wanted = CONTACT_KEYS.get(data.get("type"))
    return wanted is not None and not missing_attributes(data, wanted)


def carries_household(data):
    return (not missing_attributes(data, HOUSEHOLD_KEYS) and has_relationship(data, "people")
            and has_relationship(data, "primary_contact"))


def carries_group(data):
    return not missing_attributes(data, GROUP_KEYS)


def group_names_not_sent(data):
    """The group's type and location are named only when included; a bare reference (what a
    payload holds) says which one, not its name: those keys are left to the next Sync Groups.
    Tags are never in a payload."""
    unsent = ["tags"]
    for relationship, key in (("group_type", "group_type"), ("location", "location_name")):
        linked = (data.get("relationships") or {}).get(relationship)
        target = linked.get("data") if isinstance(linked, dict) else None
        if not isinstance(linked, dict) or "data" not in linked or (
                isinstance(target, dict) and "attributes" not in target):
            unsent.append(key)
    return unsent


@dataclass(frozen=True, order=True)
class Moment:
    """When PCO says the record was as the payload shows it: its `updated_at`, then the
    event's time (groups and memberships have no updated_at; household memberships do not
    move it), both to the second."""
    updated_at: datetime
    event_time: datetime


def moment_of(payload):
    updated = parse_time(attributes_of(data_of(payload)).get("updated_at"))
    meta = payload.get("meta") if isinstance(payload, dict) else None
    event = parse_time(meta.get("event_time")) if isinstance(meta, dict) else None
    return Moment(updated or EARLIEST, event or EARLIEST)


def record_key(payload):
    """(type, id) of the record a payload is about, or None when it names none."""
    data = data_of(payload)
    if not data.get("id") or not isinstance(data.get("type"), str):
        return None
    return data["type"], str(data["id"])


def content_of(payload):
    """What two deliveries of one record must share to be the same news."""
    data = data_of(payload)
    return attributes_of(data), data.get("relationships")
