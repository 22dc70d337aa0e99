"""A batch waits while a sync run is going on another worker (its heartbeat is fresh), and
applies the deliveries once the run is over or its worker died (a stale heartbeat)."""
from datetime import timedelta

import pytest

from pcosync.extensions import db
from pcosync.models import utcnow
from pcosync.services.runs.lifecycle import start_run
from pcosync.services.webhooks import process, receive
from tests.support import run
from tests.webhooks.helpers import envelope
from tests.webhooks.pco_events import outcomes, payload, store, tick


@pytest.fixture
def sandbox_settings():
    return {"people": 10}


def test_a_batch_waits_for_a_running_sync(sandbox, monkeypatch):
    run("People")
    pco_id = sorted(store(sandbox).db.people.rows)[0]
    record = store(tick(sandbox)).update_person(pco_id, {"nickname": "Sunny"})
    receive.record(envelope(*payload(sandbox, "people", dict(record))), {receive.ANY_EVENT})
    going = start_run("People", triggered_by="another worker")
    monkeypatch.setattr(process, "SYNC_WAIT_SECONDS", 0.05)
    assert process.process_waiting(seconds=0.2) is True  # still waiting
    assert [status for _, status, _ in outcomes()] == ["received"]
    going.heartbeat_at = utcnow() - timedelta(hours=1)  # its worker died
    db.session.commit()
    assert process.process_waiting(seconds=5) is False
    assert [status for _, status, _ in outcomes()] == ["processed"]
