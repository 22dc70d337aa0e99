"""Push looks before it creates (issue 26): here first, then PCO by email, phone and last name
+ birthdate, and only then create. Only *agree* links; a doubt is asked, never created."""
from datetime import date

import pytest
from sqlalchemy import select

from pcosync.extensions import db
from pcosync.models import (
    Email, Person, PhoneNumber, ReviewItem, ReviewKind, ReviewStatus, RunKind, RunStatus, SyncRun,
)
from pcosync.services.connection import make_client
from pcosync.services.rules.contact_kinds import EMAILS, PHONE_NUMBERS
from tests.factories import make_person
from tests.support import dump, fresh, reset_stats, run, stats

BORN = date(1979, 4, 2)
ELM = {"street_line_1": "1 Elm St", "city": "Salem", "state": "OR", "zip": "97301"}


@pytest.fixture
def sandbox_settings():
    return {"people": 0}  # only the people each test makes


def open_items(kind=None):
    query = select(ReviewItem).where(ReviewItem.status == ReviewStatus.OPEN)
    if kind is not None:
        query = query.where(ReviewItem.kind == kind)
    return db.session.scalars(query).all()


def people_in_pco(sandbox):
    return dump(sandbox)["counts"]["people"]


def pushed(*people):
    assert run("Push People").failed_count == 0
    return [fresh(Person, person.id) for person in people]


def in_pco_only(first, last, birthdate=None, email=None, phone=None):
    """A PCO person no one here is linked to (added in PCO since the last pull)."""
    client = make_client()
    attributes = {"first_name": first, "last_name": last}
    if birthdate:
        attributes["birthdate"] = birthdate.isoformat()
    pco_id = client.create_person(attributes)["id"]
    if email:
        client.create_contact(pco_id, "emails", "Email", EMAILS.dump(
            {"address": email, "location": "Home", "is_primary": True}))
    if phone:
        client.create_contact(pco_id, "phone_numbers", "PhoneNumber", PHONE_NUMBERS.dump(
            {"number": phone, "location": "Mobile", "is_primary": True}))
    client.close()
    return pco_id


@pytest.mark.parametrize("linked, again", [
    # Same name and birthdate, no email: the second Helen
    ({"first_name": "Helen", "last_name": "Cooper"}, {"first_name": "Helen",
                                                      "last_name": "Cooper"}),
    # Stephen holding linked Steven's own email
    ({"first_name": "Steven", "last_name": "Baker", "emails": ["steven@example.org"]},
     {"first_name": "Stephen", "last_name": "Baker", "emails": ["steven@example.org"]}),
    # A nickname, same surname and birthdate
    ({"first_name": "William", "last_name": "Moss"}, {"first_name": "Bill", "last_name": "Moss"}),
    # The same phone number, no birthdate
    ({"first_name": "Ada", "last_name": "Kent", "phones": ["(555) 301-0001"]},
     {"first_name": "Ada", "last_name": "Kent", "phones": ["555-301-0001"], "birthdate": None}),
])
def test_a_local_duplicate_of_a_linked_person_is_held_without_a_request(sandbox, recorder,
                                                                        linked, again):
    [first] = pushed(make_person(**{"birthdate": BORN, **linked}))
    second = make_person(**{"birthdate": BORN, **again})
    before = people_in_pco(sandbox)
    reset_stats(sandbox)

    run("Push People")

    assert fresh(Person, second.id).pco_id is None and people_in_pco(sandbox) == before
    assert stats(sandbox)["by_route"] == {}  # here first: not even a look-up
    [item] = open_items(ReviewKind.DUPLICATE_HERE)
    assert (item.person_id, item.other_person_id, item.pco_id) == (second.id, first.id,
                                                                   first.pco_id)


def test_one_agreeing_pco_person_no_one_here_is_linked_to_is_linked_not_created(sandbox,
                                                                                recorder):
    pco_id = in_pco_only("Helen", "Cooper", BORN)
    helen = make_person("Helen", "Cooper", birthdate=BORN)
    recorder.writes.clear()

    result = run("Push People")

    assert (result.created_count, fresh(Person, helen.id).pco_id) == (0, pco_id)
    assert [path for path, body in recorder.matching("POST")] == []


def test_one_pco_person_with_the_same_phone_is_linked(sandbox, recorder):
    pco_id = in_pco_only("Ada", "Kent", phone="(555) 301-0002")
    ada = make_person("Ada", "Kent", birthdate=None, phones=["555.301.0002"])

    assert run("Push People").created_count == 0
    assert fresh(Person, ada.id).pco_id == pco_id


@pytest.mark.parametrize("pco_first, local_first, email", [
    ("Bill", "William", None),  # a nickname by last name + birthdate: near
    ("Samantha", "Sam", "lees@example.org"),  # a variant never links on a shared email alone
])
def test_a_near_pco_person_is_asked_about_not_linked_nor_created(sandbox, recorder, pco_first,
                                                                 local_first, email):
    pco_id = in_pco_only(pco_first, "Lee", BORN, email=email)
    local = make_person(local_first, "Lee", birthdate=BORN, emails=[email] if email else [])

    result = run("Push People")

    assert (result.created_count, fresh(Person, local.id).pco_id) == (0, None)
    [item] = open_items(ReviewKind.DUPLICATE_IN_PCO)
    assert item.details["candidates"] == [pco_id] and item.person_id == local.id


def test_after_a_pull_a_quick_sync_links_those_added_in_pco_since_without_searches(sandbox,
                                                                                   recorder):
    run("People")  # the last pull, before Helen was added in PCO
    pco_id = in_pco_only("Helen", "Cooper", BORN, email="helen@example.org")
    helen = make_person("Helen", "Cooper", birthdate=BORN, emails=["helen@example.org"])
    mark = make_person("Mark", "Twin", birthdate=BORN)  # Mary's twin: similar, not the same
    mary_id = in_pco_only("Mary", "Twin", BORN)
    reset_stats(sandbox)
    recorder.writes.clear()

    result = run("Push People")

    [step] = db.session.scalars(select(SyncRun).where(SyncRun.parent_id == result.id)).all()
    assert (step.kind, step.status) == (RunKind.QUICK_SYNC, RunStatus.COMPLETED)
    assert fresh(Person, helen.id).pco_id == pco_id and result.created_count == 0
    # Mary came with the Quick Sync, linked; her twin Mark is held for a human, not created.
    assert fresh(Person, mark.id).pco_id is None
    [item] = open_items(ReviewKind.DUPLICATE_HERE)
    assert item.person_id == mark.id and item.pco_id == mary_id
    assert [path for path, body in recorder.matching("POST")] == []
    searched = [route for route in stats(sandbox)["by_route"] if "where" in route]
    assert searched == []  # found by the Quick Sync, not searched for one by one


def test_hard_negatives_are_each_created_once_and_none_is_held(sandbox, recorder):
    people = [
        make_person("Jacob", "Twin", birthdate=BORN, addresses=[ELM]),  # twins
        make_person("Esau", "Twin", birthdate=BORN, addresses=[ELM]),
        make_person("Frank", "Senior", birthdate=date(1950, 1, 1), addresses=[ELM]),  # Sr, Jr
        make_person("Frank", "Senior", birthdate=date(1980, 1, 1), addresses=[ELM]),
        make_person("Mary", "Smith", birthdate=None, emails=["smiths@example.org"]),  # spouses
        make_person("John", "Smith", birthdate=None, emails=["smiths@example.org"]),
        make_person("Sam", "Parent", birthdate=date(1970, 3, 3),  # parent and child
                    emails=["parents@example.org"]),
        make_person("Samantha", "Parent", birthdate=date(2001, 3, 3),
                    emails=["parents@example.org"]),
    ]
    before = people_in_pco(sandbox)

    result = run("Push People")

    assert (result.created_count, result.failed_count) == (len(people), 0)
    assert people_in_pco(sandbox) == before + len(people)
    assert len({fresh(Person, p.id).pco_id for p in people} - {None}) == len(people)
    assert open_items() == []
    reset_stats(sandbox)
    run("Push People")  # a second push sends nothing
    assert stats(sandbox)["by_route"] == {}


def test_a_person_with_nothing_but_a_linked_persons_exact_name_is_held(sandbox, recorder):
    [ann] = pushed(make_person("Ann", "Quill", birthdate=BORN, emails=["ann@example.org"]))
    nameless = make_person("Ann", "Quill", birthdate=None)

    run("Push People")

    assert fresh(Person, nameless.id).pco_id is None
    [item] = open_items(ReviewKind.DUPLICATE_HERE)
    assert {item.person_id, item.other_person_id} == {nameless.id, ann.id}


def forget_pco(people):
    """What a database restored from before the push knows: no PCO ids, no synced state."""
    for person in people:
        person = fresh(Person, person.id)
        person.pco_id = person.pco_synced_state = person.pco_synced_hash = None
        person.pco_updated_at = person.pco_synced_at = None
        for contact in person.emails + person.phone_numbers + person.addresses:
            contact.pco_id = contact.pco_updated_at = None
    db.session.commit()


def test_restore_drill_a_second_push_after_a_restore_creates_no_one(sandbox, recorder):
    people = [
        make_person("Ruth", "Drill", birthdate=BORN, emails=["ruth@example.org"]),
        make_person("Boaz", "Drill", birthdate=None, phones=["(555) 401-0001"]),
        make_person("Naomi", "Drill", birthdate=date(1950, 2, 2), addresses=[ELM]),
        make_person("Orpah", "Drill", birthdate=None),  # nothing but a name
        make_person("Obed", "Drill", birthdate=date(1990, 1, 1), emails=["obed@example.org"],
                    phones=["(555) 401-0002"]),
    ]
    assert run("Push People").created_count == len(people)
    linked = {p.id: fresh(Person, p.id).pco_id for p in people}
    before = people_in_pco(sandbox)
    forget_pco(people)
    recorder.writes.clear()

    result = run("Push People")

    assert result.created_count == 0 and people_in_pco(sandbox) == before
    assert [p for p, body in recorder.matching("POST") if p == "/people/v2/people"] == []
    held = {item.person_id for item in open_items()}
    for person in people:
        assert fresh(Person, person.id).pco_id == linked[person.id] or person.id in held
    assert held == {people[3].id}  # the name alone is a doubt: asked, not guessed
    # Their contact points were found in PCO and linked, not sent again.
    assert None not in db.session.scalars(select(Email.pco_id)).all()
    assert None not in db.session.scalars(select(PhoneNumber.pco_id)).all()
