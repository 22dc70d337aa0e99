"""Quick Sync against the sandbox: a handful of requests, no writes when nothing changed, every
changed person converged, nothing skipped after a crash or while PCO changes under it, and
nothing ever archived."""
import math
import random

import pytest
import requests
from sqlalchemy import event, func, select

from pcosync.extensions import db
from pcosync.models import Person, RunStatus
from pcosync.pco import deltas
from pcosync.pco.errors import PCONotFound
from pcosync.services.pull import cursors, quick
from pcosync.services.runs import kinds
from tests import support

AUTH = ("sandbox", "sandbox")


@pytest.fixture
def sandbox_settings():
    return {"people": 160, "seed": 11}


class Writes:
    """INSERT/UPDATE/DELETE statements on anything but the run's own rows."""

    def __init__(self):
        self.statements = []
        event.listen(db.engine, "before_cursor_execute", self.seen)

    def seen(self, conn, cursor, statement, parameters, context, executemany):
        verb = statement.lstrip()[:6].upper()
        if verb in ("INSERT", "UPDATE", "DELETE") and "sync_runs" not in statement[:60]:
            self.statements.append(statement[:60])

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        event.remove(db.engine, "before_cursor_execute", self.seen)


def patch(sandbox, path, type_, **attributes):
    response = requests.patch(sandbox.url + path, auth=AUTH, timeout=10,
                              json={"data": {"type": type_, "attributes": attributes}})
    assert response.status_code == 200, response.text


def quick_sync(sandbox):
    support.reset_stats(sandbox)
    run = support.run("Quick Sync")
    return run, support.stats(sandbox)["total"]


def change_people(sandbox, count, seed):
    """Renames, email-only and phone-only changes, and one merge: the PCO ids changed, and the
    one merged away."""
    rng = random.Random(seed)
    people = rng.sample(support.dump(sandbox)["people"], count + 1)
    support.sandbox_admin(sandbox, "POST", "/merge", {"keep": people[0]["id"],
                                                      "remove": people[1]["id"]})
    for number, person in enumerate(people[2:]):
        if number % 3 == 0 and person["emails"]:
            patch(sandbox, f"/people/v2/emails/{person['emails'][0]['id']}", "Email",
                  address=f"changed{number}@example.org")
        elif number % 3 == 1 and person["phone_numbers"]:
            patch(sandbox, f"/people/v2/phone_numbers/{person['phone_numbers'][0]['id']}",
                  "PhoneNumber", number=f"555-010-{number:04d}")
        else:
            patch(sandbox, f"/people/v2/people/{person['id']}", "Person",
                  first_name=f"Changed{number}")
    return {p["id"] for p in people[2:]} | {people[0]["id"]}, people[1]["id"]


def view_of_sandbox(person):
    return (person["first_name"], person["last_name"],
            sorted((e["id"], e["address"]) for e in person["emails"]),
            sorted((p["id"], p["number"]) for p in person["phone_numbers"]),
            sorted((a["id"], a["street_line_1"]) for a in person["addresses"]))


def view_of_local(person):
    return (person.first_name, person.last_name,
            sorted((e.pco_id, e.address) for e in person.emails),
            sorted((p.pco_id, p.number) for p in person.phone_numbers),
            sorted((a.pco_id, a.street_line_1) for a in person.addresses))


def assert_converged(sandbox, pco_ids, removed_id=None):
    db.session.expire_all()
    in_pco = {p["id"]: p for p in support.dump(sandbox)["people"]}
    local = {p.pco_id: p for p in db.session.scalars(
        select(Person).where(Person.pco_id.in_(pco_ids)))}
    differ = [i for i in pco_ids if i not in local
              or view_of_local(local[i]) != view_of_sandbox(in_pco[i])]
    assert not differ, f"{len(differ)} changed people differ, e.g. {differ[:3]}"
    if removed_id:
        gone = db.session.scalar(select(Person).where(Person.pco_id == removed_id))
        assert gone is None or gone.archived_at is not None


def test_nothing_changed_costs_five_requests_and_writes_nothing(app, sandbox):
    assert support.run("People").status == RunStatus.COMPLETED
    quick_sync(sandbox)  # the first one sets its cursors
    with Writes() as writes:
        run, requests_made = quick_sync(sandbox)
    assert run.status == RunStatus.COMPLETED, run.error
    assert requests_made <= 5
    assert writes.statements == []
    assert run.created_count == run.updated_count == 0


def test_fifty_changed_people_cost_at_most_one_more_request_and_converge(app, sandbox):
    support.run("People")
    quick_sync(sandbox)
    changed, removed = change_people(sandbox, 50, seed=1)
    run, requests_made = quick_sync(sandbox)
    assert run.status == RunStatus.COMPLETED, run.error
    assert requests_made <= 5 + math.ceil(50 / 100)
    assert_converged(sandbox, changed, removed)
    # Overlap re-reads are Skipped: a second one changes nothing and costs five again.
    with Writes() as writes:
        again, requests_made = quick_sync(sandbox)
    assert requests_made <= 5 and writes.statements == [] and again.skipped_count > 0


def test_a_crash_and_a_rerun_converge_with_nothing_skipped(app, sandbox, monkeypatch):
    support.run("People")
    quick_sync(sandbox)
    changed, removed = change_people(sandbox, 140, seed=2)
    original, calls = quick.apply_people_page, []

    def crash_on_second_page(records, progress):
        calls.append(len(records))
        if len(calls) == 2:
            raise RuntimeError("the worker died")
        return original(records, progress)
    monkeypatch.setattr(quick, "apply_people_page", crash_on_second_page)
    before = {resource: cursors.position(resource) for resource in cursors.RESOURCES}
    crashed, _ = quick_sync(sandbox)
    assert crashed.status == RunStatus.FAILED and "the worker died" in crashed.error
    # The people page committed before the crash moved its cursor; the contact points' cursors
    # wait for the people they need, which the crash stopped.
    db.session.expire_all()
    assert cursors.position("people") is not None
    assert {kind: cursors.position(kind) for kind in quick.CONTACTS} == {
        kind: before[kind] for kind in quick.CONTACTS}
    monkeypatch.setattr(quick, "apply_people_page", original)
    rerun, _ = quick_sync(sandbox)
    assert rerun.status == RunStatus.COMPLETED, rerun.error
    assert_converged(sandbox, changed, removed)


def test_people_changed_while_it_pages_are_not_skipped(app, sandbox, monkeypatch):
    support.run("People")
    quick_sync(sandbox)
    everyone = [p["id"] for p in support.dump(sandbox)["people"]]
    for pco_id in everyone:  # two pages of changes, made in PCO's store directly (faster)
        sandbox.store.update_person(int(pco_id), {"nickname": "Paged"})
    original, pages = cursors.advance, []

    def change_a_read_one_after_the_first_page(resource, moment):
        if resource == "people" and not pages:
            pages.append(moment)  # PCO edits someone already read: they move to the end
            sandbox.store.update_person(int(everyone[3]), {"nickname": "Again"})
        return original(resource, moment)
    monkeypatch.setattr(cursors, "advance", change_a_read_one_after_the_first_page)
    run, _ = quick_sync(sandbox)
    assert run.status == RunStatus.COMPLETED, run.error
    db.session.expire_all()
    nicknames = dict(db.session.execute(select(Person.pco_id, Person.nickname)).all())
    assert [i for i in everyone if nicknames.get(i) not in ("Paged", "Again")] == []
    # Its second change came during the run: this run or, through the overlap, the next.
    monkeypatch.setattr(cursors, "advance", original)
    quick_sync(sandbox)
    assert db.session.scalar(select(Person.nickname).where(
        Person.pco_id == everyone[3])) == "Again"


def test_quick_sync_never_archives(app, sandbox):
    support.run("People")
    quick_sync(sandbox)
    victim = support.dump(sandbox)["people"][5]["id"]
    requests.delete(f"{sandbox.url}/people/v2/people/{victim}", auth=AUTH, timeout=10)
    run, _ = quick_sync(sandbox)
    assert run.status == RunStatus.COMPLETED
    assert db.session.scalar(select(Person.archived_at).where(Person.pco_id == victim)) is None
    assert db.session.scalar(select(func.count()).select_from(Person).where(
        Person.archived_at.is_not(None))) == 0


def test_without_a_cursor_it_reads_from_the_last_people_pull(app, sandbox):
    assert cursors.start("people", kinds.PEOPLE) is None  # never pulled: everything
    people = support.run("People")
    assert cursors.start("people", kinds.PEOPLE) == people.started_at - cursors.OVERLAP


class FakeClient:
    """A PCO that ignores a list of ids in where[id] (it answers for the first one only)."""

    def __init__(self):
        self.single_reads = []

    def iter_pages(self, path, params, include=()):
        first = params["where[id]"].split(",")[0]
        yield deltas.DeltaPage([{"type": "Person", "id": first}], None)

    def get_person(self, pco_id):
        self.single_reads.append(pco_id)
        if pco_id == "3":
            raise PCONotFound("gone")
        return {"type": "Person", "id": pco_id}


def test_people_are_read_one_by_one_only_where_a_batch_did_not_return_them():
    client = FakeClient()
    [batch] = list(deltas.people_by_ids(client, ["1", "2", "3", "2"]))
    assert [p["id"] for p in batch] == ["1", "2"]
    assert client.single_reads == ["2", "3"]


def test_the_cli_runs_a_quick_sync(app, sandbox):
    result = app.test_cli_runner().invoke(args=["pco", "pull", "quick"])
    assert result.exit_code == 0, result.output
    assert "Quick Sync: COMPLETED" in result.output


def test_the_sync_page_offers_quick_sync_and_says_what_it_leaves_out(app, admin_client):
    page = admin_client.get("/sync/").get_data(as_text=True)
    assert 'value="Quick Sync"' in page
    assert "Households and groups" in page
