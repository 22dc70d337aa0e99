"""A first pull's new people written on a connection of their own while the run reads the next
page (services/pull/page_writer.py, PostgreSQL only): every person arrives whole, and the run's
Created count is the people that are there, whether the run completes, fails or is cancelled."""
from sqlalchemy import func, select, update

import time

from pcosync.extensions import db
from pcosync.models import Email, FieldChange, Person, ReviewItem, ReviewKind, RunStatus, SyncRun
from pcosync.pco import schemas
from pcosync.services.pull import page_writer
from pcosync.services.pull.listing import load_records
from pcosync.services.pull.people import PageOfPeople, apply_people_page
from pcosync.services.runs import quiet_pages
from pcosync.services.runs.lifecycle import Progress, finish_run, start_run
from tests.pull.test_bulk_writes import resource
from tests.support import run

PEOPLE = 450  # five pages


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


def writes_spied(monkeypatch, after_write=None):
    """The pages handed to the writer, in a list; `after_write(n)` is called after the n-th."""
    written = []
    write = page_writer.PageWriter.write

    def spy(self, statement, pco_ids, emails):
        write(self, statement, pco_ids, emails)
        written.append(len(pco_ids))
        if after_write:
            after_write(len(written))

    monkeypatch.setattr(page_writer.PageWriter, "write", spy)
    return written


def test_a_first_pull_writes_its_pages_beside_the_run(app, make_sandbox, database_kind,
                                                      monkeypatch):
    make_sandbox(people=PEOPLE)
    written = writes_spied(monkeypatch)
    pulled = run("People")
    assert pulled.status == RunStatus.COMPLETED
    assert pulled.created_count == count(Person) == PEOPLE - pulled.failed_count
    assert count(FieldChange) == count(Person)  # each one's "created" history row
    assert count(Email) > PEOPLE / 2
    # Pages that filed possible duplicates or learnt new choices were written by the run.
    assert (len(written) >= 2) if database_kind == "postgresql" else not written


def test_a_failed_write_fails_the_run_and_counts_what_was_written(
        app, make_sandbox, monkeypatch, database_kind):
    make_sandbox(people=PEOPLE)
    sends = []
    send = page_writer.PageWriter._send

    def second_fails(self, statement):
        sends.append(1)
        if len(sends) == 2:
            raise RuntimeError("the database went away")
        send(self, statement)

    monkeypatch.setattr(page_writer.PageWriter, "_send", second_fails)
    pulled = run("People")
    assert bool(sends) == (database_kind == "postgresql")  # the writer is PostgreSQL's alone
    if sends:
        assert pulled.status == RunStatus.FAILED and "went away" in pulled.error
    assert pulled.created_count == count(Person) > 0


def test_a_cancel_keeps_and_counts_the_page_being_written(make_sandbox, monkeypatch, app,
                                                          database_kind):
    make_sandbox(people=PEOPLE)
    monkeypatch.setattr(quiet_pages, "QUIET_SECONDS", 0)  # each page commits, and sees a cancel

    def cancel_after_second(n):
        if n == 2:
            with db.engine.begin() as connection:  # as the Sync page does, from elsewhere
                connection.execute(update(SyncRun).values(cancel_requested=True))

    written = writes_spied(monkeypatch, cancel_after_second)
    pulled = run("People")
    assert bool(written) == (database_kind == "postgresql")
    if written:
        assert pulled.status == RunStatus.CANCELLED
        assert 0 < count(Person) < PEOPLE
    assert pulled.created_count == count(Person)


def test_the_next_page_finds_the_people_the_page_before_made(app, monkeypatch, database_kind):
    send = page_writer.PageWriter._send

    def slowly(self, statement):  # the next page is read before this one is written
        time.sleep(0.5)
        send(self, statement)

    monkeypatch.setattr(page_writer.PageWriter, "_send", slowly)
    written = writes_spied(monkeypatch)
    progress = Progress(start_run("People", triggered_by="test"))
    with page_writer.page_writer(progress) as writer:
        page = PageOfPeople()
        page.writer = writer
        for pco_id in ("1", "2"):  # PCO holds Ruth twice, a page apart
            resources = page.unloaded([resource(pco_id, "Ruth", "Twice",
                                                emails=["ruth@example.org"])])
            apply_people_page(load_records(resources, schemas.load_person, "Person", progress),
                              progress, page)
    finish_run(progress.run, RunStatus.COMPLETED)
    assert db.session.scalars(select(ReviewItem.kind)).all() == [ReviewKind.PCO_DUPLICATES]
    assert written == ([1] if database_kind == "postgresql" else [])


class StubWriter:
    """Writing the people with PCO id 7 and the email ruth@example.org."""

    def __init__(self):
        self.waited = 0

    def lists_any(self, pco_ids):
        return "7" in pco_ids

    def holds_any_email(self, emails):
        return "ruth@example.org" in emails

    def wait(self):
        self.waited += 1


def test_the_next_page_waits_only_for_what_it_needs_of_the_page_being_written(app):
    page = PageOfPeople()
    page.writer = StubWriter()
    ann, ruth = ({"pco_id": "5", "emails": [{"address": "ann@example.org"}]},
                 {"pco_id": "6", "emails": [{"address": "Ruth@Example.org "}]})
    for resources, records, waits in (
            (["5"], [ann], 0),
            (["5", "7"], [ann], 1),  # lists someone being written: before its first read
            (["5", "6"], [ann, ruth], 1)):  # shares an email: before the matcher
        page.writer.waited = 0
        page.unloaded([{"id": pco_id, "type": "Person"} for pco_id in resources])
        page.take(records)
        assert page.writer.waited == waits
