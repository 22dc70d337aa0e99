"""A page that only read waits for the next commit; a page that wrote is committed with it
(services/runs/quiet_pages.py). On both databases: the sandbox's 150 people, in six pages."""
import pytest
import requests
from sqlalchemy import event, select

from pcosync.extensions import db
from pcosync.models import Person, SyncRun
from pcosync.pco import client
from pcosync.services.pull import people
from pcosync.services.runs import quiet_pages
from pcosync.services.runs.execute import execute_run
from pcosync.services.runs.lifecycle import start_run

AUTH = ("sandbox", "sandbox")


@pytest.fixture
def commits(app):
    seen = []
    count = lambda _conn: seen.append(1)  # noqa: E731
    event.listen(db.engine, "commit", count)
    yield seen
    event.remove(db.engine, "commit", count)


def pull_people():
    run_id = start_run("People").id
    status = execute_run(run_id)
    db.session.expire_all()
    return status, db.session.get(SyncRun, run_id)


@pytest.mark.parametrize("quiet_seconds", [3600, 0])
def test_an_unchanged_pulls_pages_wait_for_one_commit_and_every_record_is_counted(
        app, sandbox, commits, monkeypatch, quiet_seconds):
    """Within QUIET_SECONDS, the unchanged pages after the first (which carries the choice
    lists' pull, and writes) are committed with the step's last checkpoint; past it (0 here),
    each page is committed on its own, as a page that wrote."""
    monkeypatch.setattr(client, "PER_PAGE", 25)
    pull_people()
    monkeypatch.setattr(quiet_pages, "QUIET_SECONDS", 0)
    commits.clear()
    pull_people()
    every_page = len(commits)
    monkeypatch.setattr(quiet_pages, "QUIET_SECONDS", quiet_seconds)
    apply_page, pages = people.apply_people_page, []
    monkeypatch.setattr(people, "apply_people_page",
                        lambda records, progress, *page: pages.append(1)
                        or apply_page(records, progress, *page))
    commits.clear()
    status, run = pull_people()
    assert status == "COMPLETED" and len(pages) >= 6
    assert (run.created_count, run.updated_count, run.skipped_count) == (0, 0, 150)
    assert len(commits) == every_page - (len(pages) - 1 if quiet_seconds else 0)


def test_a_page_that_changed_someone_is_committed_even_when_the_next_page_fails(
        app, sandbox, monkeypatch):
    pull_people()
    pco_id = db.session.scalar(select(Person.pco_id).order_by(Person.id).limit(1))
    response = requests.patch(f"{sandbox.url}/people/v2/people/{pco_id}", auth=AUTH, json={
        "data": {"type": "Person", "attributes": {"first_name": "Renamed"}}}, timeout=10)
    assert response.status_code == 200
    monkeypatch.setattr(quiet_pages, "QUIET_SECONDS", 3600)
    apply_page, pages = people.apply_people_page, []

    def second_page_fails(records, progress, *page):
        pages.append(records)
        if len(pages) == 2:
            raise RuntimeError("the database went away")
        return apply_page(records, progress, *page)
    monkeypatch.setattr(people, "apply_people_page", second_page_fails)
    status, run = pull_people()
    assert status == "FAILED" and len(pages) == 2
    assert run.updated_count == 1
    assert db.session.scalar(select(Person.first_name).where(Person.pco_id == pco_id)) == "Renamed"


@pytest.mark.parametrize("statement, reads", [
    ("SELECT people.id FROM people WHERE people.pco_id IN (%(p)s)", True),
    ("  select 1", True),
    ("SELECT people.id FROM people WHERE people.id = 1 FOR UPDATE OF people", False),
    ("SELECT pg_advisory_xact_lock(%(key)s) AS lock", False),
    ("WITH parent AS (INSERT INTO people (status) VALUES ('active') RETURNING id) SELECT 1",
     False),
    ("UPDATE sync_runs SET skipped_count=%(n)s WHERE sync_runs.id = %(id)s", False),
    ("SAVEPOINT sa_savepoint_1", False),
])
def test_only_a_plain_select_leaves_a_page_uncommitted(statement, reads):
    assert quiet_pages.only_reads(statement) is reads
