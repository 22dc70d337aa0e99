from datetime import date

from sqlalchemy import select

from pcosync.extensions import db
from pcosync.models import Email, Person
from pcosync.services.rules.erasures import linked_and_erased
from pcosync.services.rules.merge import apply_person, unchanged_pco_ids

from tests.factories import email_record, make_person, person_record, phone_record, when


def pull(person, record):
    outcome, person = apply_person(person, record)
    db.session.commit()
    return outcome, person


def test_create_from_pco(app):
    outcome, person = pull(None, person_record("9", emails=[email_record("a@x.org", "e1")],
                                               phones=[phone_record("555 0100", "p1")]))
    assert outcome == "created"
    assert person.pco_id == "9" and person.first_name == "Ann"
    assert [e.pco_id for e in person.emails] == ["e1"]
    assert person.phone_numbers[0].digits == "5550100"


def test_pco_wins_on_demographics_but_operational_fields_stay(app):
    person = make_person(pco_id="9", first_name="Anne", allergies="peanuts",
                         photo_url="/p.jpg", verification_status="verified")
    outcome, person = pull(person, person_record("9", first_name="Ann", birthdate=date(1980, 5, 2)))
    assert outcome == "updated"
    assert (person.first_name, person.birthdate) == ("Ann", date(1980, 5, 2))
    assert (person.allergies, person.photo_url, person.verification_status) == (
        "peanuts", "/p.jpg", "verified")


def test_local_only_contact_points_are_kept(app):
    person = make_person(pco_id="9", emails=["local@x.org"])
    _, person = pull(person, person_record("9", emails=[email_record("pco@x.org", "e1")]))
    assert sorted(e.address for e in person.emails) == ["local@x.org", "pco@x.org"]


def test_an_email_pco_removed_is_removed_locally(app):
    _, person = pull(None, person_record("9", emails=[email_record("a@x.org", "e1"),
                                                      email_record("b@x.org", "e2")]))
    _, person = pull(person, person_record("9", emails=[email_record("a@x.org", "e1")],
                                           updated=when(3)))
    assert [e.pco_id for e in person.emails] == ["e1"]
    assert db.session.scalar(select(Email).where(Email.pco_id == "e2")) is None


def test_identical_local_contact_point_is_linked_not_duplicated(app):
    person = make_person(pco_id="9", emails=["a@x.org"])
    _, person = pull(person, person_record("9", emails=[email_record("A@x.org ", "e1")]))
    assert [(e.pco_id, e.address) for e in person.emails] == [("e1", "A@x.org ")]


def test_stale_record_is_not_applied(app):
    _, person = pull(None, person_record("9", first_name="New", updated=when(5)))
    outcome, person = pull(person, person_record("9", first_name="Old", updated=when(4)))
    assert outcome == "skipped" and person.first_name == "New"


def test_unchanged_record_is_skipped_without_any_write(app):
    record = person_record("9", emails=[email_record("a@x.org", "e1")])
    _, person = pull(None, record)
    before = person.updated_at
    statements = []
    from sqlalchemy import event

    listener = lambda *a: statements.append(a[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        outcome, person = pull(person, dict(record, pco_updated_at=when(9)))
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert outcome == "skipped"
    assert not [s for s in statements if s.lstrip().upper().startswith(("UPDATE", "INSERT"))]
    assert db.session.get(Person, person.id).updated_at == before


def test_linking_by_match_sets_the_pco_id(app):
    person = make_person(emails=["a@x.org"])
    outcome, person = pull(person, person_record("42", emails=[email_record("a@x.org", "e1")]))
    assert outcome == "updated" and person.pco_id == "42"


def test_a_page_skips_unchanged_and_stale_records_from_one_light_query(app):
    for pco_id in ("1", "2", "3"):
        pull(None, person_record(pco_id, first_name="Ann", updated=when(5)))
    page = [person_record("1", first_name="Ann", updated=when(5)),   # as we hold it
            person_record("2", first_name="Old", updated=when(4)),   # older than we hold
            person_record("3", first_name="Newer", updated=when(6)),  # changed
            person_record("4", first_name="Eve")]                     # not here yet
    held, _erased = linked_and_erased(record["pco_id"] for record in page)
    assert unchanged_pco_ids(page, held) == {"1", "2"}
