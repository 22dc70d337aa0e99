"""The webhook-event registry: an event declared at run time is received, applied by the
worker's batch, subscribed to by "Set up webhooks" and shown on the health panel; undeclared, it
is gone from all of them. Contact point events are made from the contact kinds."""
import pytest
from sqlalchemy import select

from pcosync.extensions import db
from pcosync.models import WebhookDelivery
from pcosync.services.rules.contact_kinds import CONTACT_KINDS
from pcosync.services.webhooks import events, health, setup
from tests.support import login, work_burst
from tests.webhooks.helpers import envelope, post

THROWAWAY = "people.v2.events.throwaway_note.created"


def recording_handler(path):
    """A handler that writes the id it was given to `path` (the worker's horse is another
    process: a file outlives it)."""
    def handler(client, payload, log):
        with path.open("a") as out:
            out.write(payload["data"]["id"] + "\n")
        return "recorded"
    return handler


def test_an_event_registered_at_run_time_is_applied_set_up_and_shown(app, client, admin,
                                                                     tmp_path):
    called, email = tmp_path / "called.txt", admin.email
    with events.registered(events.WebhookEvent(THROWAWAY, recording_handler(called))):
        body = envelope(THROWAWAY, {"data": {"type": "ThrowawayNote", "id": "42"}})
        assert post(client, body).status_code == 200
        work_burst(app)

        assert called.read_text() == "42\n"
        row = db.session.scalar(select(WebhookDelivery))
        assert (row.event_name, row.status) == (THROWAWAY, "processed")
        assert THROWAWAY in setup.handled_events()
        shown = {item.event: item for item in health.health(app.config)}
        assert shown[THROWAWAY].last_delivery_at is not None
        login(client, email)  # after the burst: the worker's session is gone
        page = client.get("/sync/").get_data(as_text=True)
        assert f'data-event="{THROWAWAY}"' in page

    assert THROWAWAY not in setup.handled_events() and events.find(THROWAWAY) is None
    assert f'data-event="{THROWAWAY}"' not in client.get("/sync/").get_data(as_text=True)


def test_an_event_is_declared_once_and_a_reread_only_on_a_batch_safe_event():
    name = next(iter(events.EVENTS))
    with pytest.raises(ValueError, match="declared twice"):
        events.register(events.WebhookEvent(name, recording_handler(None)))
    with pytest.raises(ValueError, match="batch-safe"):
        events.register(events.WebhookEvent(THROWAWAY, print, reread=print))
    assert events.find(THROWAWAY) is None


def test_contact_point_events_are_made_from_the_contact_kinds():
    contact_events = {name for name in events.EVENTS
                      if any(f".events.{kind.event_resource}." in name for kind in CONTACT_KINDS)}
    assert contact_events == {f"people.v2.events.{kind.event_resource}.{action}"
                              for kind in CONTACT_KINDS
                              for action in ("created", "updated", "destroyed")}
    for name in contact_events:
        assert events.find(name).batch_safe
        assert events.rereadable(name) == (not name.endswith(".destroyed"))
