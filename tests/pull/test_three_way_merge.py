"""No edit is lost: a pull or a webhook merges each field against the state last agreed with
PCO. What only PCO changed is taken, what only we changed is kept (and pushed), and a true
conflict takes PCO's value and keeps ours on a review item for a one-click restore. Each test
runs through the real pull and through real webhook deliveries processed by the worker."""
import itertools
import time
from dataclasses import dataclass

import pytest
import requests
from sqlalchemy import select

from pcosync.extensions import db
from pcosync.models import Person, ReviewItem, ReviewKind, ReviewStatus, WebhookDelivery
from pcosync.services.review import actions
from tests.support import (
    dump, fresh, login, pco_person, run, send_webhooks_to, wait_for_webhooks, work_burst,
)
from tests.webhooks.helpers import SECRET


@pytest.fixture
def sandbox_settings():
    """Forty people: a page of them proves what 150 would (the hard cases are in the first
    pages), at a fraction of the sync work."""
    return {"people": 40}


AUTH = ("sandbox", "sandbox")


@pytest.fixture(params=["pull", "webhook"])
def sync_from_pco(request, app, sandbox):
    """How PCO's changes arrive here: the next Sync People, or webhooks and the worker."""
    ticks = itertools.count(int(time.time()))  # each write in PCO a second after the last
    sandbox.runtime.store.now = lambda: next(ticks)
    if request.param == "pull":
        return lambda: run("People")
    send_webhooks_to(sandbox, request.getfixturevalue("live_app"), SECRET)

    def deliver():
        assert wait_for_webhooks(sandbox)["idle"]
        work_burst(app)
        assert set(db.session.scalars(select(WebhookDelivery.status))) == {"processed"}
    return deliver


def pco_write(sandbox, method, path, type_=None, **attributes):
    body = {"data": {"type": type_, "attributes": attributes}} if type_ else None
    response = requests.request(method, sandbox.url + path, json=body, auth=AUTH, timeout=10)
    assert response.status_code < 300, response.text


@pytest.fixture
def linked(sandbox):
    """A person pulled from PCO, with an email and a phone number: what the tests need of
    them, read now (the worker's burst detaches the session's rows)."""
    run("People")
    held = next(p for p in dump(sandbox)["people"] if p["emails"] and p["phone_numbers"]
                and p["first_name"] and p["birthdate"])
    person = db.session.scalar(select(Person).where(Person.pco_id == held["id"]))
    return Linked(person.id, person.pco_id, person.emails[0].pco_id,
                  person.phone_numbers[0].pco_id)


@dataclass
class Linked:
    id: int
    pco_id: str
    email_pco_id: str
    phone_pco_id: str

    def edit(self, change):
        """Change the person here (as the directory or any writer would) and commit."""
        person = db.session.get(Person, self.id)
        change(person)
        db.session.commit()


def conflicts():
    return db.session.scalars(select(ReviewItem).where(
        ReviewItem.kind == ReviewKind.CONFLICT, ReviewItem.status == ReviewStatus.OPEN)).all()


def test_a_local_edit_survives_a_pco_change_to_another_field_and_is_pushed(
        sandbox, linked, sync_from_pco):
    linked.edit(lambda person: setattr(person, "first_name", "Corrected"))
    pco_write(sandbox, "PATCH", f"/people/v2/people/{linked.pco_id}", "Person",
              birthdate="1970-07-07")

    sync_from_pco()

    person = fresh(Person, linked.id)
    assert (person.first_name, person.birthdate.isoformat()) == ("Corrected", "1970-07-07")
    assert conflicts() == []
    assert run("Push People").updated_count == 1
    held = pco_person(sandbox, linked.pco_id)
    assert (held["first_name"], held["birthdate"]) == ("Corrected", "1970-07-07")


def test_a_local_phone_edit_survives_a_pco_email_change(sandbox, linked, sync_from_pco):
    linked.edit(lambda person: setattr(phone_of(person, linked), "number", "(503) 555-0199"))
    pco_write(sandbox, "PATCH", f"/people/v2/emails/{linked.email_pco_id}", "Email",
              address="changed.in.pco@example.org")

    sync_from_pco()

    person = fresh(Person, linked.id)
    assert phone_of(person, linked).number == "(503) 555-0199"
    assert [e.address for e in person.emails if e.pco_id == linked.email_pco_id] == [
        "changed.in.pco@example.org"]
    run("Push People")
    held = {p["id"]: p["number"] for p in pco_person(sandbox, linked.pco_id)["phone_numbers"]}
    assert held[linked.phone_pco_id] == "(503) 555-0199"


def phone_of(person, linked):
    return next(p for p in person.phone_numbers if p.pco_id == linked.phone_pco_id)


def test_a_true_conflict_takes_pco_and_keep_mine_pushes_ours(sandbox, linked, sync_from_pco):
    linked.edit(lambda person: setattr(person, "nickname", "Here"))
    pco_write(sandbox, "PATCH", f"/people/v2/people/{linked.pco_id}", "Person", nickname="There")

    sync_from_pco()

    assert fresh(Person, linked.id).nickname == "There"
    [item] = conflicts()
    assert (item.details["field"], item.details["local"], item.details["remote"]) == (
        "nickname", "Here", "There")
    assert "here 'Here', PCO 'There'" in item.summary
    actions.keep_local(item, "admin@example.org")
    assert fresh(Person, linked.id).nickname == "Here"
    run("Push People")
    assert pco_person(sandbox, linked.pco_id)["nickname"] == "Here"


def test_deleted_on_one_side_and_edited_on_the_other_is_a_conflict(
        sandbox, linked, sync_from_pco):
    def delete_email_edit_phone(person):
        person.emails.remove(next(e for e in person.emails if e.pco_id == linked.email_pco_id))
        phone_of(person, linked).location = "Work"

    linked.edit(delete_email_edit_phone)
    email, phone = linked.email_pco_id, linked.phone_pco_id
    pco_write(sandbox, "PATCH", f"/people/v2/emails/{email}", "Email", location="Other")
    pco_write(sandbox, "DELETE", f"/people/v2/phone_numbers/{phone}")

    sync_from_pco()

    changes = {item.details["contact_pco_id"]: item.details["change"] for item in conflicts()}
    assert changes == {email: "deleted here, edited in PCO", phone: "deleted in PCO, edited here"}
    person = fresh(Person, linked.id)
    assert email in [e.pco_id for e in person.emails]  # PCO wins, and a human is asked
    assert phone not in [p.pco_id for p in person.phone_numbers]
    restore = next(i for i in conflicts() if i.details["contact_pco_id"] == phone)
    actions.keep_local(restore, "admin@example.org")
    assert "Work" in [p.location for p in fresh(Person, linked.id).phone_numbers]


def test_a_change_only_in_pco_is_a_plain_update_and_a_second_pull_is_skipped(
        sandbox, linked, sync_from_pco):
    pco_write(sandbox, "PATCH", f"/people/v2/people/{linked.pco_id}", "Person",
              middle_name="Pco")

    sync_from_pco()

    assert fresh(Person, linked.id).middle_name == "Pco" and conflicts() == []
    again = run("People")
    assert (again.created_count, again.updated_count) == (0, 0)


def test_the_person_page_shows_what_waits_for_a_push_and_the_conflicts(
        sandbox, linked, sync_from_pco, admin, client):
    email = admin.email
    linked.edit(lambda person: setattr(person, "first_name", "Waiting"))
    linked.edit(lambda person: setattr(person, "nickname", "Here"))
    pco_write(sandbox, "PATCH", f"/people/v2/people/{linked.pco_id}", "Person", nickname="There")

    sync_from_pco()

    login(client, email)
    page = client.get(f"/directory/people/{linked.id}").get_data(as_text=True)
    assert "Waiting for the next push" in page and "<td>first name</td><td>Waiting</td>" in page
    assert "Needs review (1)" in page and "conflict on nickname" in page
