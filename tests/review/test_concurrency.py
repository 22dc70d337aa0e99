"""Each review action taken twice at the same moment (two threads, each with its own app context
and so its own database session, released together by a barrier), on SQLite and PostgreSQL:
exactly one of them acts, the other is told the item was already resolved and changes nothing."""
import threading

import pytest
from sqlalchemy import func, select

from pcosync.extensions import db
from pcosync.models import (
    DistinctPeople, Email, Person, ReviewItem, ReviewKind, ReviewStatus, SyncRun,
)
from pcosync.services.review import actions
from tests.factories import make_person
from tests.support import csrf_token, fresh, login

BY = "admin@example.org"


def make_item(kind, person=None, other=None, **fields):
    item = ReviewItem(kind=kind, summary="test", dedupe_key=f"{kind}:{person and person.id}",
                      person_id=person and person.id, other_person_id=other and other.id,
                      **fields)
    db.session.add(item)
    db.session.commit()
    return item


def race(app, item_id, *acts):
    """Call each act(item) at the same moment in a thread of its own; returns what each
    returned, or the exception it raised."""
    barrier = threading.Barrier(len(acts))
    results = [None] * len(acts)

    def run(index, act):
        with app.app_context():
            try:
                item = db.session.get(ReviewItem, item_id)
                item.person, item.other_person  # loaded, as the page's request has them
                barrier.wait(timeout=10)
                results[index] = act(item)
            except Exception as err:  # noqa: BLE001 - handed back to the test
                results[index] = err
            finally:
                db.session.remove()

    db.session.commit()
    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(acts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    db.session.expire_all()
    return results


def one_won(results):
    """The index of the act that went through; the other was refused as already resolved."""
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1, results
    assert isinstance(refused[0], actions.ReviewError), repr(refused[0])
    assert str(refused[0]) == actions.ALREADY_RESOLVED
    return next(index for index, r in enumerate(results) if isinstance(r, str))


def count(model):
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def pair(app):
    ann = make_person("Ann", "Lee", emails=["ann@example.org", "ann.lee@example.org"])
    again = make_person("Ann", "Lee", emails=["ann@example.org", "annie@example.org"])
    item = make_item(ReviewKind.DUPLICATE_HERE, ann, again)
    return ann.id, again.id, item.id  # ids: the main thread's rows are not the threads' to load


def test_two_merges_keeping_opposite_people_merge_once_and_lose_no_email(app, pair):
    ann, again, item = pair

    results = race(app, item, lambda i: actions.merge(i, BY, ann),
                   lambda i: actions.merge(i, BY, again))

    kept, merged = (ann, again) if one_won(results) == 0 else (again, ann)
    kept, merged = fresh(Person, kept), fresh(Person, merged)
    assert kept.archived_at is None and kept.merged_into_id is None
    assert merged.archived_at is not None and merged.merged_into_id == kept.id
    assert sorted(e.address for e in kept.emails) == [
        "ann.lee@example.org", "ann@example.org", "annie@example.org"]
    assert count(Email) == 3
    assert fresh(ReviewItem, item).resolution.startswith(f"Merged {merged.full_name}")


def test_dismiss_racing_a_merge_records_what_happened(app, pair):
    ann, again, item = pair

    results = race(app, item, lambda i: actions.dismiss(i, BY),
                   lambda i: actions.merge(i, BY, ann))

    item, again = fresh(ReviewItem, item), fresh(Person, again)
    if one_won(results) == 0:
        assert (item.status, item.resolution) == (ReviewStatus.DISMISSED, "Dismissed.")
        assert again.archived_at is None and count(Email) == 4
    else:
        assert item.status == ReviewStatus.RESOLVED and item.resolution.startswith("Merged")
        assert again.merged_into_id == ann and count(Email) == 3


def test_two_different_people_record_the_pair_once(app, pair):
    ann, again, item = pair

    one_won(race(app, item, lambda i: actions.different_people(i, BY),
                 lambda i: actions.different_people(i, "other@example.org")))

    rows = db.session.execute(select(DistinctPeople.person_id,
                                     DistinctPeople.other_person_id)).all()
    assert rows == [(ann, again)]


def test_two_different_people_for_pco_candidates_record_each_once(app):
    ann = make_person()
    item = make_item(ReviewKind.DUPLICATE_IN_PCO, ann, details={"candidates": ["71", "72"]}).id

    one_won(race(app, item, lambda i: actions.different_people(i, BY),
                 lambda i: actions.different_people(i, BY)))

    assert sorted(db.session.scalars(select(DistinctPeople.other_pco_id))) == ["71", "72"]


def test_two_links_to_different_pco_people_link_one(app):
    ann = make_person()
    item = make_item(ReviewKind.DUPLICATE_IN_PCO, ann, details={"candidates": ["71", "72"]})
    ann, item = ann.id, item.id

    won = one_won(race(app, item, lambda i: actions.link(i, BY, "71"),
                       lambda i: actions.link(i, BY, "72")))

    assert fresh(Person, ann).pco_id == ["71", "72"][won]
    assert fresh(ReviewItem, item).resolution.endswith("updates that person in PCO.")


CONFLICT = {"field": "first_name", "local": "Annie", "pco": "Ann"}


@pytest.mark.parametrize("name", ["keep_local", "keep_pco", "confirm", "dismiss"])
def test_the_same_action_twice_acts_once(app, name):
    ann = make_person()
    item = make_item(ReviewKind.CONFLICT, ann, details=CONFLICT)
    ann, item = ann.id, item.id
    act = getattr(actions, name)

    won = one_won(race(app, item, lambda i: act(i, BY), lambda i: act(i, "other@x.org")))

    assert fresh(ReviewItem, item).resolved_by == [BY, "other@x.org"][won]
    assert fresh(Person, ann).first_name == ("Annie" if name == "keep_local" else "Ann")


def test_two_retries_start_one_run(app, admin):
    clients, tokens = [app.test_client(), app.test_client()], []
    for client in clients:
        with app.app_context():  # a fresh `g`: Flask-WTF keeps a request's CSRF token there
            login(client, admin.email)
            tokens.append(csrf_token(client, "/sync/review"))
    item = make_item(ReviewKind.REJECTED, make_person()).id

    results = race(app, item, *[
        lambda i, c=client, t=token: retry_through_the_page(c, t, i.id)
        for client, token in zip(clients, tokens)])

    assert sorted(results) == sorted([actions.ALREADY_RESOLVED, "Push People started"])
    assert count(SyncRun) == 1


def retry_through_the_page(client, token, item_id):
    client.post(f"/sync/review/{item_id}/retry", data={"csrf_token": token})
    with client.session_transaction() as session:
        message = session["_flashes"][-1][1]
    return message if message == actions.ALREADY_RESOLVED else message[:len("Push People started")]


def test_a_retry_on_a_closed_item_starts_nothing(app, admin_client):
    item = make_item(ReviewKind.REJECTED, make_person())
    actions.dismiss(item, BY)
    token = csrf_token(admin_client, "/sync/review")

    admin_client.post(f"/sync/review/{item.id}/retry", data={"csrf_token": token})

    assert count(SyncRun) == 0
    with admin_client.session_transaction() as session:
        assert session["_flashes"][-1] == ("error", actions.ALREADY_RESOLVED)
    assert fresh(ReviewItem, item.id).status == ReviewStatus.DISMISSED


def test_a_retry_that_cannot_start_leaves_the_item_open(app, admin_client):
    from pcosync.services.runs.lifecycle import start_run

    start_run("People")  # the one-at-a-time slot is taken
    item = make_item(ReviewKind.REJECTED, make_person())
    token = csrf_token(admin_client, "/sync/review")

    admin_client.post(f"/sync/review/{item.id}/retry", data={"csrf_token": token})

    assert count(SyncRun) == 1
    with admin_client.session_transaction() as session:
        assert session["_flashes"][-1][1].startswith("Not retried: A sync is already running")
    assert fresh(ReviewItem, item.id).status == ReviewStatus.OPEN
