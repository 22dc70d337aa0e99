"""note.created and note.destroyed arrive signed from the sandbox, are recorded, and are applied
by the real worker from their payloads, on both databases (PCO sends no note.updated)."""
import pytest
from sqlalchemy import select

from pcosync.extensions import db
from pcosync.models import Note, WebhookDelivery
from tests.support import (
    dump, reset_stats, run, sandbox_admin, send_webhooks_to, stats, wait_for_webhooks, work_burst,
)
from tests.webhooks.helpers import SECRET


@pytest.fixture
def sandbox_settings():
    return {"people": 8}


def held_notes():
    db.session.expire_all()
    return {note.pco_note_id: note for note in db.session.scalars(select(Note))}


def test_a_note_made_and_one_deleted_in_pco_arrive_by_signed_webhooks(app, sandbox, live_app):
    assert run("People").status == "COMPLETED"
    assert run("Notes").status == "COMPLETED"
    in_pco = dump(sandbox)["notes"]
    gone = in_pco[0]
    person_id = dump(sandbox)["people"][0]["id"]
    category_id = gone["category_id"]
    send_webhooks_to(sandbox, live_app, SECRET)
    for action in ("created", "destroyed"):  # as an admin subscribes in PCO's UI
        sandbox.runtime.subscriptions.create(f"people.v2.events.note.{action}",
                                             live_app.url + "/api/pco-webhook", secret=SECRET)
    added = sandbox_admin(sandbox, "POST", "/notes", {
        "person_id": person_id, "category": category_id, "note": "Asked for a visit on Tuesday"})
    sandbox_admin(sandbox, "DELETE", f"/notes/{gone['id']}")
    assert wait_for_webhooks(sandbox)["idle"]
    reset_stats(sandbox)

    work_burst(app)

    deliveries = db.session.scalars(select(WebhookDelivery)).all()
    assert sorted(d.event_name.rsplit(".", 1)[-1] for d in deliveries) == ["created", "destroyed"]
    assert {d.status for d in deliveries} == {"processed"}
    held = held_notes()
    new = held[str(added["note"]["id"])]
    assert (new.text, new.person.pco_id) == ("Asked for a visit on Tuesday", str(person_id))
    assert new.category.pco_note_category_id == str(category_id)
    assert str(gone["id"]) not in held
    assert stats(sandbox)["total"] == 0  # both applied from their payloads
