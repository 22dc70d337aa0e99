"""Full Push through the worker, push-then-pull convergence and the webhook echo."""
from sqlalchemy import select

from pcosync.extensions import db
from pcosync.models import Group, GroupMembership, Person, SyncRun
from pcosync.services.webhooks.handlers import contacts as contact_events
from pcosync.services.webhooks.handlers import people as person_events
from pcosync.services.connection import make_client
from pcosync.jobs import start_run_in_worker
from tests.factories import make_family, make_person
from tests.support import fresh, reset_stats, run, stats, work_burst


def test_full_push_in_the_worker_writes_a_parent_and_three_steps(app, sandbox):
    make_person("Ruth", "Push", emails=["ruth.push@example.org"])

    run_id = start_run_in_worker("Full Push", triggered_by="test").id
    work_burst(app)

    parent = db.session.get(SyncRun, run_id)
    assert (parent.status, parent.created_count) == ("COMPLETED", 1)
    assert [(s.kind, s.status) for s in parent.steps] == [
        ("Push People", "COMPLETED"), ("Push Photos", "COMPLETED"), ("Push Notes", "COMPLETED"),
        ("Push Families", "COMPLETED"), ("Push Group Memberships", "COMPLETED")]
    assert db.session.scalar(select(Person.pco_id))


def edit_locally_after_a_pull():
    """New people, family and membership; edits and a removal on pulled records."""
    ruth = make_person("Ruth", "Push", emails=["ruth.push@example.org"], phones=["555-201-0001"],
                       addresses=[{"street_line_1": "1 Elm St", "city": "Salem"}])
    pulled = db.session.scalars(select(Person).where(Person.pco_id.is_not(None),
                                                     Person.child.is_(False))
                                .order_by(Person.id).limit(3)).all()
    pulled[0].last_name = "Renamed"
    pulled[0].search_name = "renamed"
    pulled[1].nickname = "Nick"
    if pulled[2].phone_numbers:
        pulled[2].phone_numbers.remove(pulled[2].phone_numbers[0])
    make_family("Push Household", [ruth, pulled[1]])
    group = db.session.scalars(select(Group).where(Group.pco_group_id.is_not(None))).first()
    group.memberships.append(GroupMembership(person=ruth, role="member"))
    db.session.commit()
    return ruth


def test_push_then_pull_is_all_skipped(sandbox):
    run("Full Sync")
    ruth = edit_locally_after_a_pull()

    pushed = run("Full Push")

    assert pushed.status == "COMPLETED" and pushed.failed_count == 0
    # Ruth is new: a Quick Sync first looks for people added in PCO since the Full Sync.
    assert [(s.kind, s.created_count) for s in pushed.steps] == [
        ("Quick Sync", 0), ("Push People", 1), ("Push Photos", 0), ("Push Notes", 0),
        ("Push Families", 1),
        ("Push Group Memberships", 1)]
    pulled = run("Full Sync")
    assert pulled.status == "COMPLETED"
    assert [(s.kind, s.created_count, s.updated_count, s.failed_count) for s in pulled.steps] == [
        ("People", 0, 0, 0), ("Groups", 0, 0, 0), ("Families", 0, 0, 0), ("Notes", 0, 0, 0),
        ("Media", 0, 0, 0)]
    assert fresh(Person, ruth.id).pco_id
    reset_stats(sandbox)
    assert run("Full Push").updated_count == 0
    assert stats(sandbox)["total"] == 0


class EchoLog:
    def __init__(self):
        self.outcomes = []

    def count(self, outcome, n=1):
        self.outcomes.append(outcome)

    def issue(self, *args, **kwargs):
        raise AssertionError(f"unexpected issue {args}")


def test_webhooks_echoing_our_own_push_are_skipped(app, sandbox):
    ruth = make_person("Ruth", "Push", emails=["ruth.push@example.org"])
    run("Push People")
    ruth = fresh(Person, ruth.id)
    ruth.nickname = "Ruthie"
    db.session.commit()
    run("Push People")
    ruth = fresh(Person, ruth.id)
    client = make_client(app)
    person = client.get(f"/people/v2/people/{ruth.pco_id}")
    email = client.get(f"/people/v2/emails/{ruth.emails[0].pco_id}")

    outcomes = [person_events.person_changed(client, person, EchoLog()),
                contact_events.contact_changed(client, email, EchoLog())]

    client.close()
    assert outcomes == ["skipped", "skipped"]
    assert not db.session.dirty
