"""The worker's batches: deliveries waiting for the same record are applied once (the newest,
or the destroyed one), never hiding another record; a failing delivery fails alone; a crash
mid-batch loses nothing and applies nothing twice; a burst is one job."""
from dataclasses import replace

import pytest
from sqlalchemy import select

from pcosync.extensions import db
from pcosync.models import Email, Person
from pcosync.services.webhooks import events, process
from tests.support import run, work_burst
from tests.webhooks.helpers import queued_jobs
from tests.webhooks.pco_events import apply_waiting, deliver, outcomes, store, tick

PERSON_UPDATED = "people.v2.events.person.updated"


@pytest.fixture
def sandbox_settings():
    return {"people": 20}


@pytest.fixture
def pco(sandbox):
    run("People")
    return tick(sandbox)


def someone(sandbox, with_email=False):
    for pco_id in sorted(store(sandbox).db.people.rows):
        if not with_email or store(sandbox).db.contacts_of("emails", pco_id):
            return pco_id
    raise AssertionError("nobody fits")


def local(pco_id):
    return db.session.scalar(select(Person).where(Person.pco_id == str(pco_id)))


def test_the_newest_delivery_of_a_record_is_applied_once(client, pco):
    pco_id = someone(pco)
    versions = [dict(store(pco).update_person(pco_id, {"nickname": name})) for name in "ABC"]
    for version in (versions[2], versions[0], versions[1]):  # PCO retried two of them
        deliver(client, pco, "people", version)

    assert apply_waiting(pco) == 0
    assert local(pco_id).nickname == "C"
    statuses = [(status, (note or "")[:10]) for _, status, note in outcomes()]
    assert statuses == [("processed", ""), ("ignored", "coalesced "), ("ignored", "coalesced ")]


def test_a_destroyed_delivery_wins_over_an_update_of_its_record(client, pco):
    pco_id = someone(pco, with_email=True)
    email = store(pco).db.contacts_of("emails", pco_id)[0]
    updated = dict(store(pco).update_contact("emails", email["id"], {"location": "Work"}))
    store(pco).delete_contact("emails", email["id"])
    deliver(client, pco, "emails", updated, action="destroyed")
    deliver(client, pco, "emails", updated)  # the update arrives late

    assert apply_waiting(pco) == 0
    assert db.session.scalar(select(Email).where(Email.pco_id == str(email["id"]))) is None
    assert [(name.rsplit(".", 1)[1], status) for name, status, _ in outcomes()] == [
        ("destroyed", "processed"), ("updated", "ignored")]


def test_coalescing_never_hides_another_record_or_another_kind_of_event(client, pco):
    first, second = sorted(store(pco).db.people.rows)[:2]
    email = store(pco).db.contacts_of("emails", someone(pco, with_email=True))[0]
    deliver(client, pco, "people", store(pco).update_person(first, {"nickname": "One"}))
    deliver(client, pco, "people", store(pco).update_person(second, {"nickname": "Two"}))
    store(pco).delete_contact("emails", email["id"])
    deliver(client, pco, "emails", email, action="destroyed")

    assert apply_waiting(pco) == 0
    assert (local(first).nickname, local(second).nickname) == ("One", "Two")
    assert db.session.scalar(select(Email).where(Email.pco_id == str(email["id"]))) is None
    assert [status for _, status, _ in outcomes()] == ["processed"] * 3


def test_deliveries_stamped_alike_that_disagree_are_settled_by_one_read(client, pco):
    pco_id = someone(pco)
    store(pco).now = lambda: 2_000_000_000  # two edits in the same second
    first = dict(store(pco).update_person(pco_id, {"nickname": "Early"}))
    latest = store(pco).update_person(pco_id, {"nickname": "Late"})
    deliver(client, pco, "people", latest)
    deliver(client, pco, "people", first)  # which is newer cannot be told from the payloads

    assert apply_waiting(pco) == 1
    assert local(pco_id).nickname == "Late"
    ends = sorted((status, note or "") for _, status, note in outcomes())
    assert [status for status, _ in ends] == ["ignored", "processed"]
    assert "PCO's record is read" in ends[0][1]


def test_a_failing_delivery_fails_alone(client, pco):
    good, bad = sorted(store(pco).db.people.rows)[:2]
    deliver(client, pco, "people", store(pco).update_person(good, {"nickname": "Fine"}))
    deliver(client, pco, "people", store(pco).update_person(bad, {"nickname": "Broken"}),
            birthdate="the day before yesterday")

    assert apply_waiting(pco) == 0
    assert local(good).nickname == "Fine" and local(bad).nickname != "Broken"
    (_, good_status, _), (_, bad_status, error) = outcomes()
    assert (good_status, bad_status) == ("processed", "failed") and "birthdate" in error


def test_a_crash_mid_batch_loses_nothing_and_applies_nothing_twice(client, pco, monkeypatch):
    people = sorted(store(pco).db.people.rows)[:3]
    for pco_id in people:
        deliver(client, pco, "people", store(pco).update_person(pco_id, {"nickname": "Once"}))
    declared, calls = events.EVENTS[PERSON_UPDATED], []

    def dies_on_the_third(client, payload, log):
        calls.append(payload)
        if len(calls) == 3:
            raise SystemExit("the worker was killed")
        return declared.handler(client, payload, log)

    monkeypatch.setitem(events.EVENTS, PERSON_UPDATED,
                        replace(declared, handler=dies_on_the_third))
    # One chunk for the three, however loaded the machine: a chunk ends after CHUNK_SECONDS,
    # and a slow first delivery would otherwise be committed alone before the crash.
    monkeypatch.setattr(process, "CHUNK_SECONDS", 60)
    with pytest.raises(SystemExit):
        apply_waiting(pco)
    db.session.rollback()
    assert [status for _, status, _ in outcomes()] == ["received"] * 3
    assert [local(pco_id).nickname for pco_id in people] != ["Once"] * 3

    monkeypatch.setitem(events.EVENTS, PERSON_UPDATED, declared)
    assert apply_waiting(pco) == 0
    assert [local(pco_id).nickname for pco_id in people] == ["Once"] * 3
    assert [status for _, status, _ in outcomes()] == ["processed"] * 3


def test_a_burst_is_one_job_for_the_worker(app, client, pco):
    for pco_id in sorted(store(pco).db.people.rows)[:4]:
        deliver(client, pco, "people", store(pco).update_person(pco_id, {"nickname": "Burst"}))

    assert queued_jobs(app) == 1
    work_burst(app)
    assert [status for _, status, _ in outcomes()] == ["processed"] * 4
    assert queued_jobs(app) == 0
