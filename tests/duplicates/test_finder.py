"""The duplicate finder, its page, its command, and the review queue's bulk actions."""
from datetime import date

from sqlalchemy import select

from pcosync.extensions import db
from pcosync.models import (
    DistinctPeople, DuplicatePair, DuplicateStatus, Person, ReviewItem, ReviewKind, ReviewStatus,
)
from pcosync.services.duplicates import pairs
from pcosync.services.duplicates.finder import find_pairs
from tests.factories import make_person
from tests.support import csrf_token, fresh

BORN = date(1980, 5, 1)
ELM = {"street_line_1": "1 Elm St", "city": "Salem", "state": "OR", "zip": "97301"}


def found_names():
    names = {}
    for found in find_pairs():
        a = db.session.get(Person, found.person_id)
        b = db.session.get(Person, found.other_person_id)
        names[frozenset((a.first_name, b.first_name))] = found
    return names


def test_planted_pairs_are_found_with_reasons_and_hard_negatives_are_not(app):
    make_person("Ruth", "Email", birthdate=BORN, emails=["ruth@example.org"])
    make_person("Ruthie", "Other", birthdate=None, emails=["other@example.org"])
    make_person("Ruth", "Email", birthdate=None, emails=["Ruth@Example.org"])
    make_person("William", "Moss", birthdate=BORN)
    make_person("Bill", "Moss", birthdate=BORN)
    make_person("Ada", "Johnson", birthdate=BORN, phones=["(555) 100-0001"])
    make_person("Ada", "Jonhson", birthdate=BORN)
    # Hard negatives: twins, Sr and Jr at one address, spouses and a parent and a child on one
    # family email.
    make_person("Jacob", "Twin", birthdate=BORN, addresses=[ELM])
    make_person("Esau", "Twin", birthdate=BORN, addresses=[ELM])
    make_person("Frank", "Senior", birthdate=date(1950, 1, 1), addresses=[ELM])
    make_person("Frank", "Senior", birthdate=date(1980, 1, 1), addresses=[ELM])
    make_person("Mary", "Smith", birthdate=date(1971, 1, 1), emails=["smiths@example.org"])
    make_person("John", "Smith", birthdate=date(1970, 1, 1), emails=["smiths@example.org"])
    make_person("Sam", "Parent", birthdate=date(1970, 3, 3), emails=["parents@example.org"])
    make_person("Samantha", "Parent", birthdate=date(2001, 3, 3), emails=["parents@example.org"])

    found = found_names()

    assert set(found) == {frozenset({"Ruth"}), frozenset({"William", "Bill"}),
                          frozenset({"Ada"})}
    assert "same email" in found[frozenset({"Ruth"})].reasons
    assert "similar first name" in found[frozenset({"William", "Bill"})].reasons
    assert "similar last name" in found[frozenset({"Ada"})].reasons
    scores = [f.score for f in find_pairs()]
    assert scores == sorted(scores, reverse=True)


def test_a_scan_keeps_what_an_admin_decided(app):
    a = make_person("Ann", "Lee", emails=["ann@example.org"])
    b = make_person("Ann", "Lee", emails=["ann@example.org"])
    assert pairs.scan() == 1
    [pair] = db.session.scalars(select(DuplicatePair)).all()
    assert (pair.person_id, pair.other_person_id) == (a.id, b.id)

    pairs.different_people(pair, "admin@example.org")

    assert pairs.scan() == 0  # never listed again
    assert db.session.scalar(select(DistinctPeople.id).where(DistinctPeople.person_id == a.id))


def test_the_page_lists_pairs_by_name_and_merges_one(admin_client):
    a = make_person("Ann", "Lee", emails=["ann@example.org"])
    b = make_person("Ann", "Lee", birthdate=None, emails=["ann@example.org"])
    pairs.scan()
    page = admin_client.get("/sync/duplicates").get_data(as_text=True)
    assert "Ann Lee" in page and "same email" in page
    assert f"id {a.id}" not in page and "local id" not in page
    [pair] = db.session.scalars(select(DuplicatePair)).all()

    response = admin_client.post(f"/sync/duplicates/{pair.id}/merge", data={
        "csrf_token": csrf_token(admin_client, "/sync/duplicates"), "kept_id": a.id})

    assert response.status_code == 302
    assert fresh(DuplicatePair, pair.id).status == DuplicateStatus.MERGED
    assert fresh(Person, b.id).merged_into_id == a.id


def test_pairs_both_in_pco_are_shown_as_duplicates_in_pco_too(app, admin_client):
    make_person("Ann", "Lee", pco_id="101", emails=["ann@example.org"])
    make_person("Ann", "Lee", pco_id="202", emails=["ann@example.org"])
    pairs.scan()

    page = admin_client.get("/sync/duplicates").get_data(as_text=True)

    assert "Duplicates in PCO too" in page and "Merge, keep" not in page
    # The links open each person in the PCO in use: the sandbox here, the real PCO otherwise.
    assert "/sandbox/people/101" in page and "/sandbox/people/202" in page
    app.config["PCO_API_URL"] = "https://api.planningcenteronline.com"
    page = admin_client.get("/sync/duplicates").get_data(as_text=True)
    assert "people.planningcenteronline.com/people/AC101" in page and "/people/AC202" in page


def test_the_scan_command(app):
    make_person("Ann", "Lee", emails=["ann@example.org"])
    make_person("Ann", "Lee", emails=["ann@example.org"])

    result = app.test_cli_runner().invoke(args=["pco", "duplicates", "scan"])

    assert result.exit_code == 0 and "1 likely duplicate pairs" in result.output


def test_the_names_page_adds_an_equivalence(admin_client):
    token = csrf_token(admin_client, "/sync/names")
    admin_client.post("/sync/names", data={"csrf_token": token, "kind": "first",
                                           "name": "José", "other_name": "Pepe"})
    page = admin_client.get("/sync/names").get_data(as_text=True)
    assert "Jose = Pepe" in page


def duplicate_items(count):
    items = []
    for n in range(count):
        a, b = make_person(f"A{n}", "Lee"), make_person(f"B{n}", "Lee")
        item = ReviewItem(kind=ReviewKind.DUPLICATE_HERE, summary=f"pair {n}",
                          dedupe_key=f"duplicate_here:{a.id}-{b.id}", person_id=a.id,
                          other_person_id=b.id)
        db.session.add(item)
        items.append(item)
    db.session.commit()
    return items


def test_bulk_different_people_asks_how_many_first(admin_client):
    items = duplicate_items(3)
    token = csrf_token(admin_client, "/sync/review")
    chosen = {"csrf_token": token, "action": "different", "item_ids": [i.id for i in items[:2]]}

    confirm = admin_client.post("/sync/review/bulk", data=chosen).get_data(as_text=True)

    assert "Mark 2 items as different people?" in confirm
    assert all(fresh(ReviewItem, i.id).is_open for i in items)  # nothing done yet
    admin_client.post("/sync/review/bulk", data={**chosen, "confirmed": "1"})
    assert [fresh(ReviewItem, i.id).status for i in items] == [
        ReviewStatus.RESOLVED, ReviewStatus.RESOLVED, ReviewStatus.OPEN]
    assert len(db.session.scalars(select(DistinctPeople)).all()) == 2


def test_bulk_dismiss(admin_client):
    items = duplicate_items(2)
    token = csrf_token(admin_client, "/sync/review")
    admin_client.post("/sync/review/bulk", data={"csrf_token": token, "action": "dismiss",
                                                 "item_ids": [i.id for i in items],
                                                 "confirmed": "1"})
    assert {fresh(ReviewItem, i.id).status for i in items} == {ReviewStatus.DISMISSED}


def test_a_running_scan_shows_its_progress_on_the_page(app, admin_client):
    from rq.job import Job

    from pcosync.extensions import get_redis
    from pcosync.jobs.duplicates import SCAN_JOB_ID, JobProgress

    make_person("Ann", "Lee", emails=["ann@example.org"])
    make_person("Ann", "Lee", emails=["ann@example.org"])
    admin_client.post("/sync/duplicates/scan",
                      data={"csrf_token": csrf_token(admin_client, "/sync/duplicates")})
    page = admin_client.get("/sync/duplicates").get_data(as_text=True)
    assert "Scanning" in page and "Waiting for the worker" in page and "duplicates.js" in page
    tell = JobProgress(Job.fetch(SCAN_JOB_ID, connection=get_redis()))
    tell("Comparing possible pairs", 3, 10)
    assert admin_client.get("/sync/duplicates/scan-status").get_json() == {
        "running": True, "stage": "Comparing possible pairs", "done": 3, "total": 10}

    told = []
    assert pairs.scan(progress=lambda *said: told.append(said)) == 1
    assert [said[0] for said in told] == ["Reading the directory", "Comparing possible pairs",
                                          "Comparing possible pairs", "Saving the pairs"]
    assert told[-1][1:] == (1, 1)
