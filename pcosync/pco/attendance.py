"""PCO Groups' events and attendances (Groups 2023-07-10, read only): reading, and loading into
plain dicts.

Events are filtered only by their start and end times (`where[starts_at][gte|lt]`) and ordered
by them; an attendance has no timestamps, only `attended` and `role`, and is listed per event.
Each attendance comes with the Groups view of its person (`include=person`): the name it
carries is what the pull compares with the local person before joining them, as PCO does not
document that Groups' person ids are People's.
"""
from collections.abc import Iterator

from marshmallow import fields

from .client import Page, _segment, format_timestamp
from .schema_base import (
    AttributesSchema, UTCDateTime, is_resolved, load_resource, malformed, related_id,
)

EVENTS = "/groups/v2/events"
ROLES = ("member", "leader", "visitor", "applicant")


class EventAttributes(AttributesSchema):
    name = fields.String(load_default=None, allow_none=True)
    starts_at = UTCDateTime(load_default=None, allow_none=True)
    ends_at = UTCDateTime(load_default=None, allow_none=True)
    canceled = fields.Boolean(load_default=False, allow_none=True)


class AttendanceAttributes(AttributesSchema):
    attended = fields.Boolean(load_default=False, allow_none=True)
    role = fields.String(load_default=None, allow_none=True)


_EVENT, _ATTENDANCE = EventAttributes(), AttendanceAttributes()


def load_event(resource) -> dict:
    envelope, event = load_resource(resource, "Event", _EVENT)
    return {"pco_id": envelope["id"], "name": (event["name"] or "")[:255] or None,
            "starts_at": event["starts_at"], "ends_at": event["ends_at"],
            "canceled": bool(event["canceled"])}


def load_attendance(resource) -> dict:
    """{pco_id, person_pco_id, attended, role, person_name: (first, last) of the Groups
    person when included, else None}."""
    envelope, attendance = load_resource(resource, "Attendance", _ATTENDANCE)
    relationships = envelope["relationships"]
    person_id = related_id(relationships, "person")
    if person_id is None:
        raise malformed(f"Attendance {envelope['id']}", "no person")
    role = attendance["role"] if attendance["role"] in ROLES else None
    return {"pco_id": envelope["id"], "person_pco_id": person_id,
            "attended": bool(attendance["attended"]), "role": role,
            "person_name": _groups_person_name(relationships)}


def _groups_person_name(relationships):
    person = (relationships.get("person") or {}).get("data")
    if not is_resolved(person):
        return None
    attributes = person.get("attributes") or {}
    return (attributes.get("first_name") or "", attributes.get("last_name") or "")


def iter_group_events(client, group_id, starts_from, starts_before) -> Iterator[Page]:
    """A group's events that start in [starts_from, starts_before), oldest first; no lower
    bound when `starts_from` is None."""
    params = {"where[starts_at][lt]": format_timestamp(starts_before), "order": "starts_at"}
    if starts_from is not None:
        params["where[starts_at][gte]"] = format_timestamp(starts_from)
    return client.iter_pages(f"/groups/v2/groups/{_segment(group_id)}/events", params)


def iter_attendances(client, event_id) -> Iterator[Page]:
    return client.iter_pages(f"{EVENTS}/{_segment(event_id)}/attendances", include=("person",))


def count_events(client, starts_from=None, starts_before=None) -> int | None:
    """Events of every group that start in the range, from one request (meta.total_count)."""
    params = {"per_page": 1}
    if starts_from is not None:
        params["where[starts_at][gte]"] = format_timestamp(starts_from)
    if starts_before is not None:
        params["where[starts_at][lt]"] = format_timestamp(starts_before)
    return (client.get(EVENTS, params) or {}).get("meta", {}).get("total_count")
