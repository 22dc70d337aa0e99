"""Every writer leaves its history rows: plain ORM code, the directory, a pull (a first pull in
bulk: one "created" row per person), a Quick Sync, a webhook, a push's save-back, a review
merge."""
from sqlalchemy import func, select

from pcosync.extensions import db
from pcosync.models import ChangeSource, FieldChange, Person, ReviewItem, ReviewKind
from pcosync.services.history.context import recording
from tests.factories import make_person
from tests.history.helpers import changes, fields
from tests.support import csrf_token, fresh, run
from tests.webhooks.pco_events import apply_waiting, deliver, store, tick


def test_plain_orm_code_is_recorded_as_other(app):
    ann = make_person("Ann", "Lee", emails=["ann@example.org"])
    assert fields(changes(person_id=ann.id)) == [("Person", "created", None, "Ann Lee")]
    ann.nickname = "Annie"
    ann.emails[0].address = "annie@example.org"
    db.session.commit()
    rows = changes(person_id=ann.id)[1:]
    assert sorted(fields(rows)) == [("Email", "address", "ann@example.org", "annie@example.org"),
                                    ("Person", "nickname", None, "Annie")]
    assert {(row.source, row.run_id, row.user_id) for row in rows} == {("other", None, None)}


def test_a_removed_contact_point_is_one_row_with_its_values(app):
    ann = make_person("Ann", "Lee", phones=["555-0100"])
    ann.phone_numbers.clear()
    db.session.commit()
    removed = changes(person_id=ann.id, field="deleted")
    assert [(row.record_type, '"555-0100"' in row.before) for row in removed] == [
        ("PhoneNumber", True)]


def test_a_directory_edit_names_the_user(admin_client, admin):
    ann = make_person("Ann", "Lee")
    response = admin_client.post(f"/directory/people/{ann.id}/edit", data={
        "csrf_token": csrf_token(admin_client, f"/directory/people/{ann.id}/edit"),
        "first_name": "Ann", "last_name": "Lee", "nickname": "Nell", "status": "active"})
    assert response.status_code == 302
    row = changes(person_id=ann.id, field="nickname")[0]
    assert (row.before, row.after, row.source, row.user_id) == (None, "Nell", "directory", admin.id)


def test_a_first_pull_records_one_created_row_per_person(app, make_sandbox):
    make_sandbox(people=20)
    pull = run("People")
    assert pull.status == "COMPLETED", pull.error
    rows = changes(run_id=pull.id)
    assert len(rows) == 20 == pull.created_count
    assert {(row.record_type, row.field, row.source) for row in rows} == {
        ("Person", "created", "pull")}


def test_a_pull_and_a_quick_sync_record_what_pco_changed(app, make_sandbox):
    sandbox = make_sandbox(people=10)
    run("People")
    run("Quick Sync")
    pco = tick(sandbox)
    record = sorted(store(pco).db.people.rows.values(), key=lambda r: r["id"])[0]
    store(pco).update_person(record["id"], {"nickname": "Nellie"})
    quick = run("Quick Sync")
    person = db.session.scalar(select(Person).where(Person.pco_id == str(record["id"])))
    assert [(r.field, r.after, r.source, r.run_id) for r in changes(person_id=person.id)[1:]] == [
        ("nickname", "Nellie", "quick sync", quick.id)]
    store(pco).update_person(record["id"], {"nickname": "Nell"})
    pull = run("People")
    assert [(r.before, r.after, r.source, r.run_id) for r in changes(
        person_id=person.id, field="nickname")][-1] == ("Nellie", "Nell", "pull", pull.id)


def test_a_webhook_names_its_delivery(client, make_sandbox):
    sandbox = make_sandbox(people=10)
    run("People")
    pco = tick(sandbox)
    record = sorted(store(pco).db.people.rows.values(), key=lambda r: r["id"])[0]
    changed = store(pco).update_person(record["id"], {"nickname": "Hooked"})
    deliver(client, pco, "people", changed)
    assert apply_waiting(pco) == 0
    row = changes(field="nickname")[-1]
    assert (row.after, row.source) == ("Hooked", "webhook")
    assert row.delivery_id is not None and row.run_id is None


def test_a_push_records_its_save_back_and_what_pco_now_holds(app, sandbox):
    ann = make_person("Ann", "Pushed", emails=["ann.pushed@example.org"])
    push = run("Push People")
    assert push.created_count == 1
    linked = changes(person_id=ann.id, field="pco_id")
    assert [(row.before, row.source, row.run_id) for row in linked] == [(None, "push", push.id)]
    ann = fresh(Person, ann.id)
    ann.nickname = "Annie"
    db.session.commit()
    again = run("Push People")
    sent = changes(person_id=ann.id, run_id=again.id)
    assert fields(sent) == [("Person", "nickname", None, "Annie")]


def test_a_review_merge_is_recorded_as_the_reviewers(admin_client, admin, sandbox):
    ruth = make_person("Ruth", "Naomi", emails=["ruth@example.org"])
    run("Push People")
    again = make_person("Ruth", "Naomi", emails=["ruth@example.org"])
    run("Push People")
    item = db.session.scalar(select(ReviewItem).where(ReviewItem.kind == ReviewKind.DUPLICATE_HERE))
    response = admin_client.post(f"/sync/review/{item.id}/merge", data={
        "csrf_token": csrf_token(admin_client, "/sync/review"), "kept_id": ruth.id})
    assert response.status_code == 302
    merged = changes(person_id=again.id, field="archived_at")
    assert [(row.source, row.user_id) for row in merged] == [("review", admin.id)]


def test_nothing_is_recorded_when_nothing_changed(app):
    ann = make_person("Ann", "Lee")
    before = db.session.scalar(select(func.count()).select_from(FieldChange))
    ann.nickname = None
    with recording(ChangeSource.PULL):
        db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(FieldChange)) == before


def statements_of_a_first_pull(history):
    from sqlalchemy import event

    from pcosync.models import FieldChange as Change
    from pcosync.services.history.context import paused

    db.session.execute(Change.__table__.delete())
    db.session.execute(Person.__table__.delete())
    db.session.commit()
    seen = []

    def count(*_statement):
        seen.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        if history:
            pull = run("People")
        else:
            with paused():
                pull = run("People")
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert pull.created_count == 250
    return len(seen)


def test_a_first_pull_pays_at_most_one_statement_per_page_for_its_history(
        app, make_sandbox, monkeypatch):
    from pcosync.pco import both_ends, stamp_paging

    # One chain, so both runs read the same three pages (read from both ends, the meeting
    # page can split in two depending on which end answers first).
    monkeypatch.setattr(both_ends, "both_ends", lambda client, path, base: [
        stamp_paging._stamp_pages(client, path, base)])
    make_sandbox(people=250)
    statements_of_a_first_pull(False)  # the choice lists and custom fields, made once
    without = statements_of_a_first_pull(False)
    # One per page of 100; none on PostgreSQL, where it goes in with the page's people.
    expected = 0 if db.engine.dialect.name == "postgresql" else 3
    assert statements_of_a_first_pull(True) - without == expected
