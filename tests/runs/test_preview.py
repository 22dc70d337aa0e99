"""Preview: a pull or push through its own code, writing nothing here and sending nothing to PCO
(reads only), reporting what it would do; the real run that follows does exactly that."""
import hashlib

import pytest
import requests
from sqlalchemy import func, select

from pcosync.extensions import db
from pcosync.models import Email, Group, GroupMembership, Person, SyncRun
from tests.factories import make_family, make_person
from tests.support import run, sandbox_admin, stats

PEOPLE = 40  # a page of people proves what 150 would, at a fraction of the sync work


@pytest.fixture
def sandbox_settings():
    return {"people": PEOPLE}


STEP_COUNTS = ("created_count", "updated_count", "skipped_count", "failed_count")


def fingerprint():
    """Every row of every table but the runs' own (a preview writes its run row and steps)."""
    db.session.expire_all()
    found = {}
    for table in db.metadata.sorted_tables:
        if table.name == "sync_runs":
            continue
        rows = sorted(repr(tuple(row)) for row in db.session.execute(select(table)))
        found[table.name] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return found


def pco_writes(server):
    return sum(count for route, count in stats(server)["by_route"].items()
               if route.split(" ", 1)[0] in ("POST", "PATCH", "DELETE"))


def counts(run_row):
    """The run's counters and each step's: what the preview and the real run must agree on."""
    return [(row.kind, *(getattr(row, name) for name in STEP_COUNTS))
            for row in [run_row, *run_row.steps]]


def assert_wrote_nothing(kind, server):
    """A preview of `kind`: equal rows here and no write request to PCO. Returns the run."""
    before, writes, runs = fingerprint(), pco_writes(server), run_rows()
    previewed = run(kind, preview=True)
    assert previewed.status == "COMPLETED", previewed.error
    assert fingerprint() == before
    assert pco_writes(server) == writes
    assert run_rows() == runs + 1 + len(previewed.steps)  # only its own run row and steps
    return previewed


def run_rows():
    return db.session.scalar(select(func.count()).select_from(SyncRun))


def edit_locally():
    """New people (with contact points), a new family, a new membership, edited people."""
    ruth = make_person("Ruth", "Preview", emails=["ruth.preview@example.org"],
                       phones=["555-301-0001"])
    make_person("Saul", "Preview", emails=["saul.preview@example.org"])
    pulled = db.session.scalars(select(Person).where(Person.pco_id.is_not(None),
                                                     Person.child.is_(False))
                                .order_by(Person.id).limit(3)).all()
    pulled[0].last_name = "Renamed"
    pulled[1].nickname = "Nick"
    pulled[2].emails.append(Email(address="another.one@example.org", location="Work"))
    make_family("Preview Household", [ruth, pulled[1]])
    group = db.session.scalars(select(Group).where(Group.pco_group_id.is_not(None))).first()
    group.memberships.append(GroupMembership(person=ruth, role="member"))
    db.session.commit()


def last_name_of(entry):
    return next(after for name, _, after in entry["fields"] if name == "last_name")


def test_a_full_sync_preview_writes_nothing_and_counts_what_the_real_one_does(sandbox):
    previewed = assert_wrote_nothing("Full Sync", sandbox)

    changes = previewed.report["changes"]
    assert changes["Person"]["created"] == PEOPLE
    first = changes["Person"]["first"][0]
    assert first["action"] == "created" and last_name_of(first) in first["label"]
    assert "Person" not in first["label"]  # a name, not a model and an id
    assert ["first_name", None, first["fields"][0][2]] in first["fields"]
    assert previewed.report["pco_writes"]["total"] == 0
    assert db.session.scalar(select(func.count()).select_from(Person)) == 0
    assert counts(run("Full Sync")) == counts(previewed)


def test_a_preview_after_changes_in_pco_shows_updates_and_archives(sandbox):
    run("Full Sync")
    sandbox_admin(sandbox, "POST", "/mutate", {"count": 12, "seed": 3})
    gone = db.session.scalars(select(Person.pco_id).where(Person.pco_id.is_not(None))
                              .order_by(Person.id)).first()
    requests.delete(f"{sandbox.url}/people/v2/people/{gone}", auth=("sandbox", "sandbox"),
                    timeout=10).raise_for_status()

    previewed = assert_wrote_nothing("Full Sync", sandbox)

    person = previewed.report["changes"]["Person"]
    assert person["updated"] > 0 and person["archived"] == 1
    shown = [entry for entry in person["first"] if entry["action"] == "updated"][0]
    assert all(before != after for _, before, after in shown["fields"])
    assert counts(run("Full Sync")) == counts(previewed)


def test_a_full_push_preview_sends_nothing_and_counts_what_the_real_one_does(sandbox):
    run("Full Sync")
    edit_locally()

    previewed = assert_wrote_nothing("Full Push", sandbox)

    sent = previewed.report["pco_writes"]
    assert sent["by_kind"]["POST Person"] == 2 and sent["by_kind"]["POST Household"] == 1
    assert sent["by_kind"]["PATCH Person"] == 2 and sent["by_kind"]["POST Membership"] == 1
    created = [w for w in sent["first"] if w["method"] == "POST" and w["type"] == "Person"]
    assert {w["attributes"]["last_name"] for w in created} == {"Preview"}
    writes = pco_writes(sandbox)
    real = run("Full Push")
    assert counts(real) == counts(previewed)
    assert pco_writes(sandbox) - writes == sent["total"]
