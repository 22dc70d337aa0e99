"""Groups' events and attendances as PCO serves them (Groups 2023-07-10; twcrews/planningcenter-
models `Groups/V2023_07_10`): an Event's attributes are attendance_requests_enabled,
automated_reminder_enabled, canceled, canceled_at, description, ends_at,
location_type_preference, multi_day, name, reminders_sent, reminders_sent_at, repeating,
starts_at, virtual_location_url and visitors_count, its relationships group and location; it
includes group and location, is ordered by ends_at, name and starts_at, queried by the same and
filtered by canceled, group, group_type, my_groups, not_canceled and upcoming. An Attendance has
only `attended` and `role` (member, leader, visitor or applicant): no timestamps; relationships
person and event; it includes person (the Groups view of a person), is ordered by first_name,
last_name and role and queried by role.
"""
from . import records
from .resources import Include, Kind, ref

GROUPS = "/groups/v2"
EVENT_ATTRIBUTES = (
    "attendance_requests_enabled", "automated_reminder_enabled", "canceled", "canceled_at",
    "description", "ends_at", "location_type_preference", "multi_day", "name",
    "reminders_sent", "reminders_sent_at", "repeating", "starts_at", "virtual_location_url",
    "visitors_count")


def event_attributes(event, ctx):
    return {name: records.iso(event.get(name)) if name in records.TIME_FIELDS
            else event.get(name) for name in EVENT_ATTRIBUTES}


def event_relationships(event, ctx):
    return {"group": {"data": ref("Group", event["group_id"])},
            "location": {"data": ref("Location", event.get("location_id"))}}


def attendance_attributes(attendance, ctx):
    return {"attended": attendance["attended"], "role": attendance["role"]}


def attendance_relationships(attendance, ctx):
    return {"person": {"data": ref("Person", attendance["person_id"])},
            "event": {"data": ref("Event", attendance["event_id"])}}


def _person_name(ctx, attendance, field):
    person = ctx.db.people.get(attendance["person_id"]) or {}
    return person.get(field)


KINDS = {
    "group_events": Kind(
        name="group_events", type="Event", self_path=lambda e: f"{GROUPS}/events/{e['id']}",
        attributes=event_attributes, relationships=event_relationships,
        includes={"group": Include("groups", False,
                                   lambda ctx, e: ctx.db.groups.get(e["group_id"]))},
        can_order_by=("ends_at", "name", "starts_at"),
        can_query_by=("ends_at", "name", "starts_at"),
        can_filter=("canceled", "group", "group_type", "my_groups", "not_canceled",
                    "upcoming")),
    "attendances": Kind(
        name="attendances", type="Attendance",
        self_path=lambda a: f"{GROUPS}/events/{a['event_id']}/attendances/{a['id']}",
        attributes=attendance_attributes, relationships=attendance_relationships,
        includes={"person": Include("groups_people", False,
                                    lambda ctx, a: ctx.db.people.get(a["person_id"]))},
        can_order_by=("first_name", "last_name", "role"), can_query_by=("role",)),
}
