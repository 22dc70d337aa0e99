"""A person PCO sends as last agreed is skipped without being loaded (pco/versions.py,
services/rules/versions.py), on both databases: a change of theirs in PCO, or of what turns a
record into a state here, loads them again, and a person's stamp never outlives their state."""
import pytest
from sqlalchemy import func, select, update

from pcosync.extensions import db
from pcosync.models import FieldDefinition, FieldSync, FieldType, FieldValue, Person
from pcosync.pco import schemas
from tests import support
from tests.pull.test_quick_sync import patch

TEXT_TYPES = (FieldType.STRING, FieldType.TEXT)
PEOPLE = 40


@pytest.fixture
def sandbox_settings():
    return {"people": PEOPLE, "seed": 7}


@pytest.fixture
def loaded(monkeypatch):
    """PCO ids of the people each Sync People loaded, in order."""
    ids = []
    original = schemas.load_person

    def counting(resource):
        ids.append(str(resource.get("id")))
        return original(resource)
    monkeypatch.setattr(schemas, "load_person", counting)
    return ids


def sync_people(loaded):
    loaded.clear()
    return support.run("People")


def unstamped():
    return db.session.scalar(select(func.count()).select_from(Person).where(
        Person.pco_id.is_not(None), Person.pco_version_stamp.is_(None)))


def a_person_with(relationship):
    """A linked person with at least one of `relationship` here (Person's list attribute; for
    field values, one of a text field)."""
    people = db.session.scalars(select(Person).where(Person.pco_id.is_not(None))
                                .order_by(Person.id)).all()
    return next(person for person in people if [
        row for row in getattr(person, relationship)
        if relationship != "field_values" or row.definition.data_type in TEXT_TYPES])


def rename(sandbox, person):
    patch(sandbox, f"/people/v2/people/{person.pco_id}", "Person", first_name="Renamed")
    return lambda: support.fresh(Person, person.id).first_name == "Renamed"


def change_email(sandbox, person):
    email = person.emails[0]
    patch(sandbox, f"/people/v2/emails/{email.pco_id}", "Email", address="changed@example.org")
    return lambda: "changed@example.org" in [e.address for e in support.fresh(
        Person, person.id).emails]


def change_field_value(sandbox, person):
    row = next(row for row in person.field_values if row.definition.data_type in TEXT_TYPES)
    patch(sandbox, f"/people/v2/field_data/{row.pco_field_datum_id}", "FieldDatum",
          value="Changed in PCO")
    return lambda: db.session.scalar(select(FieldValue.value).where(
        FieldValue.id == row.id)) == "Changed in PCO"


@pytest.mark.parametrize("change, relationship", [
    (rename, "emails"), (change_email, "emails"), (change_field_value, "field_values"),
], ids=["person", "email", "custom field"])
def test_unchanged_people_are_not_loaded_and_one_change_loads_that_person(
        app, sandbox, loaded, change, relationship):
    first = sync_people(loaded)
    assert first.created_count == PEOPLE and len(loaded) == PEOPLE
    assert unstamped() == 0  # a first pull stamps everyone it creates

    again = sync_people(loaded)
    assert loaded == [] and again.skipped_count == PEOPLE

    person = a_person_with(relationship)
    taken = change(sandbox, person)
    after = sync_people(loaded)
    assert loaded == [person.pco_id]
    assert (after.updated_count, after.skipped_count) == (1, PEOPLE - 1)
    assert taken()
    assert sync_people(loaded).skipped_count == PEOPLE and loaded == []


def test_people_agreed_before_stamps_are_loaded_once_and_stamped(app, sandbox, loaded):
    """As after the migration that added the stamps: nobody has one."""
    sync_people(loaded)
    db.session.execute(update(Person).values(pco_version_stamp=None))
    db.session.commit()
    run = sync_people(loaded)
    assert len(loaded) == PEOPLE and (run.updated_count, run.skipped_count) == (0, PEOPLE)
    assert unstamped() == 0
    assert sync_people(loaded).skipped_count == PEOPLE and loaded == []


def test_a_custom_field_turned_on_is_pulled_for_everyone_then_nobody_is_loaded(
        app, sandbox, loaded):
    sync_people(loaded)
    field = db.session.scalars(select(FieldDefinition).join(FieldValue)
                               .order_by(FieldDefinition.id)).first()
    holders = db.session.scalar(select(func.count()).select_from(FieldValue)
                                .where(FieldValue.definition_id == field.id))
    field.sync = FieldSync.OFF
    db.session.execute(update(FieldValue).where(FieldValue.definition_id == field.id)
                       .values(value="held here"))
    db.session.commit()
    sync_people(loaded)
    assert len(loaded) == PEOPLE  # what a record means here changed: everyone is compared
    assert sync_people(loaded).skipped_count == PEOPLE and loaded == []

    support.fresh(FieldDefinition, field.id).sync = FieldSync.PULL
    db.session.commit()
    run = sync_people(loaded)
    assert len(loaded) == PEOPLE and run.failed_count == 0
    taken = db.session.scalars(select(FieldValue.value).where(
        FieldValue.definition_id == field.id)).all()
    assert len(taken) == holders and "held here" not in taken
    assert sync_people(loaded).skipped_count == PEOPLE and loaded == []


def test_a_state_agreed_otherwise_forgets_the_version(app):
    person = Person(first_name="Ann", pco_id="1")
    person.pco_version_stamp = "v"
    person.pco_synced_hash = "b"  # a push, a webhook's partial record, a merge
    assert person.pco_version_stamp is None
