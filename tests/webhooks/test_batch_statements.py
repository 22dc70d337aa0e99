"""A burst of deliveries costs the database a bounded number of statements: the batch reads a
chunk's records with one query per kind and writes each table at once (issue 35), whatever
mix of fields and records the deliveries change."""
import pytest
from sqlalchemy import event

from pcosync.extensions import db
from pcosync.services.webhooks import process, receive
from tests.support import run
from tests.webhooks.helpers import envelope
from tests.webhooks.pco_events import outcomes, payload, store, tick

FIELDS = ({"nickname": "Sunny"}, {"middle_name": "Quinn"}, {"membership": "Visitor"},
          {"first_name": "Robin"}, {"nickname": "Ash", "membership": "Member"})
# Each contact point changed in other columns than the one before it.
CONTACT_FIELDS = {
    "addresses": ({"city": "Springfield"}, {"zip": "90210"},
                  {"street_line_1": "1 Main St", "city": "Shelbyville"}),
    "emails": ({"location": "Work"}, {"address": "moved-{}@example.org"}),
    "phone_numbers": ({"location": "Work"}, {"number": "555-010{}"}),
}
DELIVERIES = 100


@pytest.fixture
def sandbox_settings():
    return {"people": 40}


def edits(sandbox):
    """DELIVERIES deliveries about as many records: each person edited in a different field,
    then their addresses, email addresses and phone numbers, each in other fields."""
    people = sorted(store(sandbox).db.people.rows)
    found = [("people", store(sandbox).update_person(pco_id, FIELDS[i % len(FIELDS)]))
             for i, pco_id in enumerate(people)]
    for pco_id in people:
        for kind, changes in CONTACT_FIELDS.items():
            for contact in store(sandbox).db.contacts_of(kind, pco_id):
                change = changes[len(found) % len(changes)]
                change = {name: value.format(len(found)) for name, value in change.items()}
                found.append((kind, store(sandbox).update_contact(kind, contact["id"], change)))
    return found[:DELIVERIES]


def test_a_hundred_deliveries_cost_a_few_statements(sandbox, monkeypatch):
    run("People")
    made = edits(tick(sandbox))
    assert len(made) == DELIVERIES
    for kind, record in made:
        receive.record(envelope(*payload(sandbox, kind, dict(record))), {receive.ANY_EVENT})
    db.session.commit()
    monkeypatch.setattr(process, "CHUNK_SECONDS", 60)  # one chunk, however busy the machine
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)
    event.listen(db.engine, "before_cursor_execute", count)
    try:
        process.process_waiting()
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert [status for _, status, _ in outcomes()] == ["processed"] * DELIVERIES
    # 61 and 23 before the contact points were locked and written with one UPDATE per table,
    # the run's heartbeat read with the lock and the bodies with the waiting rows; SQLite reads
    # the heartbeat apart from its lock.
    limit = {"postgresql": 19, "sqlite": 21}[db.engine.dialect.name]
    assert len(statements) <= limit, len(statements)
