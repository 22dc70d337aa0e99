"""Groups v2 (2023-07-10) groups and memberships <-> plain dicts.

A group's type and location are relationships (`include=group_type,location`), its tags only
ids (`tag_ids`, sent when asked for with `fields[Group]`): their names come from the tag list.
Groups have no `updated_at` in PCO's definitions; one sent anyway is used for the stale check.
"""
from marshmallow import ValidationError, fields, pre_load, validate

from .profile_schemas import included_name
from .schema_base import (
    AttributesSchema, ResourceId, UTCDateTime, describe, load_resource, malformed, plain_text,
    related_id,
)

# What a Groups read asks for with `fields[Group]`: tag_ids is only sent when asked for, and
# asking for fields means naming every other attribute that is read.
GROUP_FIELDS = ("name", "description", "description_as_plain_text", "archived_at", "schedule",
                "contact_email", "tag_ids")
_ROLES = validate.OneOf(["member", "leader"])


def _text(max_length=None):
    checks = [plain_text] + ([validate.Length(max=max_length)] if max_length else [])
    return fields.String(load_default=None, allow_none=True, validate=checks)


class GroupAttributes(AttributesSchema):
    name = _text(200)
    description = _text()
    description_as_plain_text = _text()
    schedule = _text(500)
    contact_email = _text(320)
    tag_ids = fields.List(ResourceId(), load_default=list, allow_none=True)
    archived_at = UTCDateTime(load_default=None, allow_none=True)
    pco_updated_at = UTCDateTime(data_key="updated_at", load_default=None, allow_none=True)


class GroupMembershipAttributes(AttributesSchema):
    role = fields.String(load_default="member", allow_none=True)
    joined_at = UTCDateTime(load_default=None, allow_none=True)
    person_id = ResourceId(load_default=None, allow_none=True)

    @pre_load
    def lowercase_role(self, data, **kwargs):
        if isinstance(data, dict) and isinstance(data.get("role"), str):
            data = {**data, "role": data["role"].strip().lower()}
        return data


_GROUP = GroupAttributes()
_GROUP_MEMBERSHIP = GroupMembershipAttributes()


def load_group(resource) -> dict:
    """The group; its type and location by name when they were included (None otherwise)."""
    envelope, group = load_resource(resource, "Group", _GROUP)
    relationships = envelope["relationships"]
    label = describe(resource, "Group")
    return {
        "pco_group_id": envelope["id"],
        "name": group["name"],
        "description": group["description_as_plain_text"] or group["description"],
        "archived_at": group["archived_at"],
        "schedule": group["schedule"],
        "contact_email": group["contact_email"],
        "tag_ids": list(dict.fromkeys(group["tag_ids"] or [])),
        "group_type": included_name(relationships, "group_type", label),
        "location_name": included_name(relationships, "location", label),
        "pco_updated_at": group["pco_updated_at"],
    }


def load_group_membership(resource, group_pco_id=None) -> dict:
    envelope, membership = load_resource(resource, "Membership", _GROUP_MEMBERSHIP)
    label = describe(resource, "Membership")
    relationships = envelope["relationships"]
    person_id = related_id(relationships, "person") or membership["person_id"]
    group_id = related_id(relationships, "group") or group_pco_id
    role = membership["role"] or "member"
    if person_id is None:
        raise malformed(label, "no person")
    if group_id is None:
        raise malformed(label, "no group")
    try:
        _ROLES(role)
    except ValidationError:
        raise malformed(label, f"attributes.role: unknown role {role!r}") from None
    return {
        "pco_membership_id": envelope["id"],
        "group_pco_id": str(group_id),
        "person_pco_id": person_id,
        "role": role,
        "joined_at": membership["joined_at"],
    }
