"""insert_rows puts a page's new rows of one table in with one statement (one array per column
on PostgreSQL): every value as SQLAlchemy's INSERT would write it, a column no row sets at its
Python default, a column only some rows set at its default in the others, JSON as JSON."""
from datetime import datetime, timezone

import pytest
from sqlalchemy import event, select

from pcosync.extensions import db
from pcosync.models import Email, FieldChange, Note, Person
from pcosync.models.enums import ChangeSource, PersonStatus
from pcosync.services.pull.bulk_create import StandIn
from pcosync.services.pull.insert_many import NewId, insert_rows, insert_with_children


def statements_while(action):
    seen = []

    def note(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        return action(), seen
    finally:
        event.remove(db.engine, "before_cursor_execute", note)


def test_rows_go_in_with_one_statement_at_their_defaults(app):
    when = datetime(2024, 5, 1, 12, 30, tzinfo=timezone.utc)
    rows = [{"record_type": "Person", "record_id": 1, "field": "first_name", "before": "Ann",
             "after": "Anne", "changed_at": when},
            {"record_type": "Person", "record_id": 2, "field": "it's \"quoted\"\n{a,b}",
             "source": ChangeSource.PULL}]
    returned, statements = statements_while(
        lambda: insert_rows(FieldChange, rows, returning=(FieldChange.record_id, FieldChange.id)))
    db.session.commit()
    assert len(statements) == 1
    assert sorted(record_id for record_id, _ in returned) == [1, 2]
    first, second = db.session.scalars(select(FieldChange).order_by(FieldChange.record_id))
    assert {first.id, second.id} == {change_id for _, change_id in returned}
    assert (first.field, first.before, first.after, first.changed_at) == (
        "first_name", "Ann", "Anne", when)
    assert first.source == ChangeSource.OTHER  # the default where another row set it
    assert (second.field, second.source, second.before) == (
        "it's \"quoted\"\n{a,b}", ChangeSource.PULL, None)
    assert second.changed_at is not None  # set by no row: its Python default


def test_json_dates_and_nulls_keep_their_types(app):
    rows = [{"pco_id": "p1", "first_name": "Ann", "last_name": "Lee",
             "pco_synced_state": {"emails": ["a@example.org"], "child": False}},
            {"pco_id": "p2", "first_name": "Bo", "last_name": "Li", "pco_synced_state": None}]
    _, statements = statements_while(lambda: insert_rows(Person, rows))
    db.session.commit()
    assert len(statements) == 1
    ann, bo = db.session.scalars(select(Person).order_by(Person.pco_id))
    assert ann.pco_synced_state == {"emails": ["a@example.org"], "child": False}
    assert bo.pco_synced_state is None
    assert ann.status == bo.status == PersonStatus.ACTIVE and ann.created_at is not None


def test_no_rows_send_nothing(app):
    assert statements_while(lambda: insert_rows(Person, [])) == ([], [])


def test_parents_and_children_go_in_together_each_child_with_its_parents_id(app):
    people = [{"pco_id": "p1", "first_name": "Ann", "last_name": "Lee"},
              {"pco_id": "p2", "first_name": "Bo", "last_name": "Li"}]
    emails = [StandIn(Email, person_id=NewId(key), pco_id=f"e{key}", address=address).values
              for key, address in (("p2", "Bo@Example.org"), ("p1", "ann@example.org"))]
    changes = [{"record_type": "Person", "record_id": NewId(key), "person_id": NewId(key),
                "field": "created"} for key in ("p1", "p2")]
    ids, statements = statements_while(lambda: insert_with_children(
        Person, Person.pco_id, people, [(Email, emails), (FieldChange, changes), (Note, [])]))
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        assert len(statements) == 1
    held = {p.pco_id: p for p in db.session.scalars(select(Person))}
    assert ids == {key: person.id for key, person in held.items()}
    assert [e.address for e in held["p1"].emails] == ["ann@example.org"]
    assert held["p2"].emails[0].normalized == "bo@example.org"  # the model's rule
    assert sorted((c.record_id, c.person_id) for c in db.session.scalars(select(FieldChange))) \
        == sorted((person.id, person.id) for person in held.values())


@pytest.mark.parametrize("named", [NewId("p9"), "not an id"])
def test_a_child_naming_no_new_parent_is_refused_before_anything_is_written(app, named):
    emails = [{"person_id": NewId("p1"), "pco_id": "e1", "address": "a@example.org"},
              {"person_id": named, "pco_id": "e2", "address": "b@example.org"}]
    with pytest.raises(ValueError):
        insert_with_children(Person, Person.pco_id, [{"pco_id": "p1", "first_name": "Ann"}],
                             [(Email, emails)])
    assert db.session.scalars(select(Person)).all() == []
