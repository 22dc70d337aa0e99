"""Webhook deliveries processed by the real worker with the pull's matcher and merge rules."""
import json
import pytest

import requests
from sqlalchemy import func, select

from pcosync.extensions import db
from pcosync.models import (Email, Family, GroupMembership, Person, SyncIssue,
                            WebhookDelivery)
from pcosync.pco import transport
from pcosync.services.runs.execute import execute_run
from pcosync.services.runs.lifecycle import start_run
from tests.support import send_webhooks_to, wait_for_webhooks, work_burst
from tests.webhooks.helpers import SECRET, envelope, post


@pytest.fixture
def sandbox_settings():
    """Forty people: a page of them proves what 150 would (the hard cases are in the first
    pages), at a fraction of the sync work."""
    return {"people": 40}


AUTH = ("sandbox", "sandbox")


def pco(sandbox, method, path, attributes=None, type_="Person"):
    body = {"data": {"type": type_, "attributes": attributes or {}}}
    response = requests.request(method, sandbox.url + path, auth=AUTH, timeout=10,
                                json=body if attributes is not None else None)
    assert response.status_code < 300, response.text
    return response.json() if response.content else None


def first_person():
    return db.session.scalar(select(Person).order_by(Person.id).limit(1))


def statuses():
    return dict(db.session.execute(select(WebhookDelivery.status, func.count())
                                   .group_by(WebhookDelivery.status)).all())


def test_changes_in_pco_follow_through_webhooks_and_the_worker(app, sandbox, live_app):
    execute_run(start_run("People").id)
    person = first_person()
    pco_id, victim = person.pco_id, db.session.scalar(
        select(Person.pco_id).order_by(Person.id.desc()).limit(1))
    send_webhooks_to(sandbox, live_app, SECRET)
    pco(sandbox, "PATCH", f"/people/v2/people/{pco_id}", {"first_name": "Webhooked"})
    pco(sandbox, "POST", f"/people/v2/people/{pco_id}/emails",
        {"address": "new.address@example.org", "location": "Work", "primary": False}, "Email")
    pco(sandbox, "DELETE", f"/people/v2/people/{victim}")
    assert wait_for_webhooks(sandbox)["idle"]
    work_burst(app)
    person = db.session.scalar(select(Person).where(Person.pco_id == pco_id))
    assert person.first_name == "Webhooked"
    assert "new.address@example.org" in [e.address for e in person.emails]
    gone = db.session.scalar(select(Person).where(Person.pco_id == victim))
    assert gone.archived_at is not None and gone.first_name  # a tombstone keeps its fields
    assert statuses().get("failed", 0) == 0 and statuses().get("received", 0) == 0


def process(app, client, body):
    assert post(client, body).status_code == 200
    work_burst(app)


def person_payload(pco_id, updated_at, **attributes):
    return {"data": {"type": "Person", "id": pco_id,
                     "attributes": dict(attributes, updated_at=updated_at)}}


def test_duplicate_delivery_is_applied_once(app, client, sandbox):
    execute_run(start_run("People").id)
    pco_id = first_person().pco_id
    body = envelope(payload=person_payload(pco_id, "2099-01-01T00:00:00Z"), delivery_id="dup")
    process(app, client, body)
    process(app, client, envelope(payload=person_payload(pco_id, "2099-01-01T00:00:00Z"),
                                  delivery_id="dup", attempt=2))
    assert db.session.scalar(select(func.count()).select_from(WebhookDelivery)) == 1
    assert statuses() == {"processed": 1}


def test_out_of_order_updates_leave_the_newest_data(app, client, sandbox):
    execute_run(start_run("People").id)
    pco_id = first_person().pco_id
    pco(sandbox, "PATCH", f"/people/v2/people/{pco_id}", {"last_name": "Newest"})
    newer = envelope(payload=person_payload(pco_id, "2099-01-02T00:00:00Z"))
    older = envelope(payload=person_payload(pco_id, "2000-01-01T00:00:00Z", last_name="Old"))
    process(app, client, newer)
    process(app, client, older)
    assert db.session.scalar(select(Person.last_name).where(Person.pco_id == pco_id)) == "Newest"


def test_destroyed_person_is_archived_not_deleted(app, client, sandbox):
    execute_run(start_run("People").id)
    person = first_person()
    person.allergies = "penicillin"
    db.session.commit()
    pco_id = person.pco_id
    payload = {"data": {"type": "Person", "id": pco_id}, "meta": {}}
    process(app, client, envelope("people.v2.events.person.destroyed", payload))
    kept = db.session.scalar(select(Person).where(Person.pco_id == pco_id))
    assert kept.archived_at is not None and kept.allergies == "penicillin"


def test_person_merger_repoints_links_and_files_an_issue(app, client, sandbox):
    execute_run(start_run("Full Sync").id)
    member = db.session.scalar(select(GroupMembership).limit(1))
    removed = member.person
    kept = db.session.scalar(select(Person).where(Person.id != removed.id,
                                                  Person.archived_at.is_(None)).limit(1))
    payload = {"data": {"type": "PersonMerger", "id": "m1", "attributes": {
        "person_to_keep_id": kept.pco_id, "person_to_remove_id": removed.pco_id}}}
    removed_id, kept_id, group_id = removed.id, kept.id, member.group_id
    process(app, client, envelope("people.v2.events.person_merger.created", payload))
    assert db.session.scalar(select(func.count()).select_from(GroupMembership).where(
        GroupMembership.group_id == group_id, GroupMembership.person_id == kept_id)) == 1
    assert db.session.get(Person, removed_id).archived_at is not None
    issue = db.session.scalar(select(SyncIssue).where(SyncIssue.delivery_id.is_not(None)))
    assert "merged" in issue.reason


def test_unknown_event_is_ignored(app, client, sandbox):
    process(app, client, envelope("services.v2.events.plan.created", {"data": {"id": "1"}}))
    assert statuses() == {"ignored": 1}


def test_contact_point_destroyed_removes_the_local_copy(app, client, sandbox):
    execute_run(start_run("People").id)
    email = db.session.scalar(select(Email).where(Email.pco_id.is_not(None)).limit(1))
    email_id, person_pco_id = email.pco_id, email.person.pco_id
    pco(sandbox, "DELETE", f"/people/v2/emails/{email_id}")
    payload = {"data": {"type": "Email", "id": email_id, "relationships": {
        "person": {"data": {"type": "Person", "id": person_pco_id}}}}, "meta": {}}
    process(app, client, envelope("people.v2.events.email.destroyed", payload))
    assert db.session.scalar(select(Email).where(Email.pco_id == email_id)) is None


def test_household_destroyed_archives_the_family(app, client, sandbox):
    execute_run(start_run("Full Sync").id)
    family = db.session.scalar(select(Family).limit(1))
    family_id = family.id
    payload = {"data": {"type": "Household", "id": family.pco_household_id}, "meta": {}}
    process(app, client, envelope("people.v2.events.household.destroyed", payload))
    assert db.session.get(Family, family_id).archived_at is not None


def test_failed_delivery_can_be_retried_from_the_cli(app, client, sandbox, monkeypatch):
    monkeypatch.setattr(transport, "RETRY_BASE_SECONDS", 0.01)  # PCO unreachable: retried fast
    execute_run(start_run("People").id)
    sandbox_url = app.config["PCO_API_URL"]
    app.config["PCO_API_URL"] = "http://127.0.0.1:9"
    body = envelope(payload=person_payload(first_person().pco_id, "2099-01-01T00:00:00Z"))
    assert post(client, body).status_code == 200
    from pcosync.services.webhooks.process import process_delivery

    row_id = db.session.scalar(select(WebhookDelivery.id))
    try:
        process_delivery(row_id)
    except Exception:
        pass
    assert db.session.get(WebhookDelivery, row_id).status == "failed"
    app.config["PCO_API_URL"] = sandbox_url
    result = app.test_cli_runner().invoke(args=["pco", "webhooks", "retry"])
    assert "1" in result.output, result.output
    work_burst(app)
    assert statuses() == {"processed": 1}
    assert json.loads(db.session.get(WebhookDelivery, row_id).body)
