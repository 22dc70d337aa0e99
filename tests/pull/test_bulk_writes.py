"""People met for the first time are created in bulk (services/rules/bulk_create): the rows must
be those the ORM path writes, value for value (derived keys, defaults, synced state and hash,
custom-field values), on both databases, and a page mixing every kind of record must end as
the ORM path leaves it."""
from datetime import date

import pytest
from sqlalchemy import delete, inspect, select

from pcosync.extensions import db
from pcosync.models import (
    Address, Email, Family, FamilyMember, FieldValue, Person, PhoneNumber, ReviewItem, RunStatus,
    SyncIssue,
)
from pcosync.services.pull.listing import load_records
from pcosync.pco import schemas
from pcosync.services.pull.people import apply_people_page
from pcosync.services.runs import lifecycle
from pcosync.services.runs.lifecycle import Progress, finish_run, start_run
from tests.factories import make_person
from tests.support import run

# Local ids and the moment of the write: equal rows differ there (rows are compared by PCO id).
MOMENTS = {"id", "person_id", "family_id", "primary_member_id", "created_at", "updated_at",
           "pco_synced_at"}
CONTACTS = (Email, PhoneNumber, Address)


def without_bulk(monkeypatch):
    monkeypatch.setattr(lifecycle.Progress, "bulk_writes", property(lambda self: False))


def columns(row):
    return {c.key: getattr(row, c.key) for c in inspect(row).mapper.column_attrs
            if c.key not in MOMENTS}


def snapshot():
    """Every person with their contact points and custom-field values, by PCO id."""
    db.session.expire_all()
    people = {}
    for person in db.session.scalars(select(Person)):
        people[person.pco_id or f"local {person.first_name}"] = {
            **columns(person),
            **{model.__tablename__: sorted((columns(item) for item in items), key=repr)
               for model, items in ((Email, person.emails), (PhoneNumber, person.phone_numbers),
                                    (Address, person.addresses))},
            "field_values": sorted((columns(v) for v in person.field_values), key=repr)}
    return people


def families():
    """Every family with its members, primary member and address, by household PCO id."""
    db.session.expire_all()
    return {family.pco_household_id: {
        **columns(family), "primary": family.primary_member and family.primary_member.pco_id,
        "members": sorted((m.person.pco_id, m.role, m.from_pco) for m in family.members),
        "address": family.address and columns(family.address)}
        for family in db.session.scalars(select(Family))}


def forget_people():
    for model in (FieldValue, *CONTACTS, FamilyMember, Family, ReviewItem, SyncIssue, Person):
        db.session.execute(delete(model))
    db.session.commit()


def test_a_first_pull_in_bulk_writes_what_the_orm_path_writes(sandbox, monkeypatch):
    assert [run(kind).status for kind in ("People", "Families")] == ["COMPLETED"] * 2
    in_bulk, households = snapshot(), families()
    forget_people()
    without_bulk(monkeypatch)
    assert [run(kind).status for kind in ("People", "Families")] == ["COMPLETED"] * 2
    assert snapshot() == in_bulk
    assert families() == households
    assert len(households) > 30 and any(f["address"] for f in households.values())
    people = list(in_bulk.values())
    assert len(people) > 100 and any(p["field_values"] for p in people)
    assert all(p["search_name"] and p["pco_synced_hash"] for p in people if p["last_name"])
    assert any(p["emails"] and p["emails"][0]["normalized"] for p in people)
    assert any(p["phone_numbers"] and p["phone_numbers"][0]["digits"] for p in people)


# -- one page of every kind of record ----------------------------------------------------------

def resource(pco_id, first_name, last_name="Lee", updated="2024-05-01T12:00:00Z", emails=(),
             **attributes):
    """A resolved PCO person (as PCOClient.iter_pages yields it) with its emails included."""
    included = [{"type": "Email", "id": f"e{pco_id}-{n}",
                 "attributes": {"address": address, "location": "Home", "primary": n == 0}}
                for n, address in enumerate(emails)]
    return {"type": "Person", "id": pco_id,
            "attributes": {"first_name": first_name, "last_name": last_name,
                           "updated_at": updated, "birthdate": "1980-05-02", **attributes},
            "relationships": {"emails": {"data": included}, "phone_numbers": {"data": []},
                              "addresses": {"data": []}}}


def apply_page(resources):
    progress = Progress(start_run("People", triggered_by="test"))
    apply_people_page(load_records(resources, schemas.load_person, "Person", progress),
                      progress)
    finish_run(progress.run, RunStatus.COMPLETED)
    db.session.expire_all()
    return progress.run


def mixed_page():
    """Held here first: linked people (one unchanged, one changed, one newer than PCO's copy),
    an unlinked one PCO's record finds by email, two sharing an email no record names alike."""
    apply_page([resource("1", "Same"), resource("2", "Before"),
                resource("3", "Newer", updated="2024-06-01T00:00:00Z")])
    make_person(first_name="Ann", last_name="Byemail", birthdate=date(1980, 5, 2),
                emails=["ann@example.org"], allergies="peanuts")
    # Two Bos the record agrees with (no birthdate here to tell them apart: another birthdate
    # would make another person).
    make_person(first_name="Bo", emails=["shared@example.org"], birthdate=None)
    make_person(first_name="Bo", emails=["shared@example.org"], birthdate=None)
    db.session.commit()
    return apply_page([
        resource("1", "Same"),  # unchanged: skipped
        resource("2", "After", updated="2024-05-02T00:00:00Z"),  # changed: updated
        resource("3", "Older"),  # older than held: skipped
        resource("4", "Ann", "Byemail", emails=["ANN@example.org "]),  # found by email
        resource("5", "Zoë", "Ng", emails=["zoe@example.org"]),  # new
        resource("6", "Bo", emails=["shared@example.org"]),  # new, possible duplicate of two
        {"type": "Person", "id": "7", "attributes": {"birthdate": "not a date"}},  # malformed
        resource("8", "Eve", nickname="E", child=True, status="inactive"),  # new
    ])


@pytest.mark.parametrize("bulk", [True, False], ids=["bulk", "orm"])
def test_a_page_of_every_kind_of_record(app, monkeypatch, bulk):
    if not bulk:
        without_bulk(monkeypatch)
    page = mixed_page()
    assert (page.created_count, page.updated_count, page.skipped_count, page.failed_count) == (
        3, 2, 2, 1)
    people = snapshot()
    assert people["2"]["first_name"] == "After" and people["3"]["first_name"] == "Newer"
    assert people["4"]["allergies"] == "peanuts"  # operational fields are never written
    assert (people["5"]["search_name"], people["5"]["emails"][0]["normalized"]) == (
        "zoe ng", "zoe@example.org")
    assert (people["8"]["status"], people["8"]["child"]) == ("inactive", True)
    issues = db.session.scalars(select(SyncIssue.pco_id).where(
        SyncIssue.run_id == page.id)).all()
    assert sorted(issues) == ["6", "7"]  # the possible duplicate, the malformed record
    assert len(db.session.scalars(select(ReviewItem)).all()) == 2


def test_the_mixed_page_ends_alike_in_bulk_and_by_the_orm(app, monkeypatch):
    mixed_page()
    in_bulk = snapshot()
    forget_people()
    without_bulk(monkeypatch)
    mixed_page()
    assert snapshot() == in_bulk
