"""Groups v2 events and attendances over HTTP, with PCO's paths (read only, as in PCO):

    GET /groups/v2/events                       GET /groups/v2/events/{id}
    GET /groups/v2/groups/{id}/events           GET /groups/v2/events/{id}/attendances

PCO sends no webhooks for either, and attendances carry no timestamps (attendance_kinds.py).
"""
from flask import Blueprint

from .errors import NotFound
from .views import list_response, parent_ref, show_response

bp = Blueprint("sandbox_attendance", __name__)
G = "/groups/v2"


@bp.get(f"{G}/events")
def list_events():
    return list_response("group_events", lambda store: store.db.group_events.values(),
                         f"{G}/events")


@bp.get(f"{G}/events/<int:event_id>")
def show_event(event_id):
    return show_response("group_events", lambda store: _event(store, event_id))


@bp.get(f"{G}/groups/<int:group_id>/events")
def list_group_events(group_id):
    def events(store):
        store.get_group(group_id)
        return store.db.events_of(group_id)
    return list_response("group_events", events, f"{G}/groups/{group_id}/events",
                         parent_of=lambda store: parent_ref("Group", group_id))


@bp.get(f"{G}/events/<int:event_id>/attendances")
def list_attendances(event_id):
    def attendances(store):
        _event(store, event_id)
        return store.db.attendances_of(event_id)
    return list_response("attendances", attendances, f"{G}/events/{event_id}/attendances",
                         parent_of=lambda store: parent_ref("Event", event_id))


def _event(store, event_id):
    event = store.db.group_events.get(event_id)
    if event is None:
        raise NotFound(f"Event {event_id}")
    return event
