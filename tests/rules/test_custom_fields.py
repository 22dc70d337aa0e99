"""Custom-field values through the rules a pull and a webhook use: PCO's values on first link,
the three-way merge afterwards, the admin's setting obeyed (the integration tests drive the
same code through the sandbox)."""
from sqlalchemy import select

from pcosync.extensions import db
from pcosync.models import FieldDefinition, FieldOption, FieldSync, ReviewItem
from pcosync.services.rules import custom_fields
from pcosync.services.rules.merge import apply_person
from pcosync.services.rules.review_items import file_item

from tests.factories import person_record, save, when


def define(pco_id, name, data_type="string", sync=FieldSync.BOTH, options=()):
    definition = FieldDefinition(pco_field_definition_id=pco_id, name=name, data_type=data_type,
                                 sync=sync)
    for position, value in enumerate(options):
        definition.options.append(FieldOption(value=value, sequence=position,
                                              pco_field_option_id=f"{pco_id}-{position}"))
    return save(definition)


def datum(datum_id, definition_id, value, **extra):
    return {"pco_id": datum_id, "definition_pco_id": definition_id, "option_pco_id": None,
            "person_pco_id": "9", "value": value, "file_name": None, "file_url": None, **extra}


def record(*data, updated=2, **extra):
    return person_record("9", field_data=list(data), field_data_included=True,
                         updated=when(updated), **extra)


class Log:
    """What a run's Progress offers the rules for the review queue."""
    review = staticmethod(file_item)


def pull(person, incoming):
    _, person = apply_person(person, incoming, Log())
    db.session.commit()
    return person


def values(person):
    return sorted((row.definition.name, row.value, row.pco_field_datum_id)
                  for row in person.field_values)


def test_first_pull_takes_every_type_checkboxes_one_row_per_option(app):
    define("d1", "Baptism date", "date")
    define("d2", "Serving", "checkboxes", options=("Music", "Kids", "Tech"))
    define("d3", "Form", "file")
    person = pull(None, record(datum("v1", "d1", "2010-06-01"), datum("v2", "d2", "Music"),
                               datum("v3", "d2", "Kids"), datum("v4", "d2", "Tech"),
                               datum("v5", "d3", None, file_name="form.pdf",
                                     file_url="https://files.example/form.pdf")))
    assert values(person) == [("Baptism date", "2010-06-01", "v1"), ("Form", "form.pdf", "v5"),
                              ("Serving", "Kids", "v3"), ("Serving", "Music", "v2"),
                              ("Serving", "Tech", "v4")]
    state = custom_fields.values_of(person.pco_synced_state)
    assert state == {"d1": "2010-06-01", "d2": ["Kids", "Music", "Tech"],
                     "d3": "https://files.example/form.pdf"}


def test_a_person_without_values_keeps_the_state_they_always_had(app):
    person = pull(None, record())
    assert "custom_fields" not in person.pco_synced_state


def test_local_edit_kept_pco_change_taken_true_conflict_goes_to_review(app):
    define("d1", "Shirt"), define("d2", "Notes"), define("d3", "Class")
    person = pull(None, record(datum("v1", "d1", "M"), datum("v2", "d2", "a"),
                               datum("v3", "d3", "101")))
    rows = {row.definition.name: row for row in person.field_values}
    rows["Shirt"].value, rows["Notes"].value = "L", "here"  # edited here
    db.session.commit()
    person = pull(person, record(datum("v1", "d1", "M"), datum("v2", "d2", "pco"),
                                 datum("v3", "d3", "201"), updated=3))
    assert values(person) == [("Class", "201", "v3"), ("Notes", "pco", "v2"),
                              ("Shirt", "L", "v1")]
    item = db.session.scalar(select(ReviewItem))
    assert "custom field Notes" in item.summary and item.details["local"] == "here"


def test_pull_only_local_edit_never_counts_as_a_change_and_pco_change_wins(app):
    define("d1", "Shirt", sync=FieldSync.PULL)
    person = pull(None, record(datum("v1", "d1", "M")))
    person.field_values[0].value = "L"
    db.session.commit()
    from pcosync.services.rules.state import digest, person_state_from_local
    assert digest(person_state_from_local(person)) == person.pco_synced_hash  # nothing to push
    person = pull(person, record(datum("v1", "d1", "S"), updated=3))
    assert values(person) == [("Shirt", "S", "v1")]
    assert db.session.scalar(select(ReviewItem)) is None


def test_off_and_deleted_fields_are_never_touched(app):
    define("d1", "Secret", sync=FieldSync.OFF)
    gone = define("d2", "Old")
    gone.deleted_at = when(1)
    db.session.commit()
    person = pull(None, record())
    for definition in db.session.scalars(select(FieldDefinition)):
        person.field_values.append(custom_fields.FieldValue(definition_id=definition.id,
                                                            value="mine"))
    db.session.commit()
    person = pull(person, record(datum("v1", "d1", "pco"), datum("v2", "d2", "pco"), updated=3))
    assert sorted(row.value for row in person.field_values) == ["mine", "mine"]
    assert "custom_fields" not in person.pco_synced_state


def test_a_person_read_without_field_data_keeps_values_and_agreed_state(app):
    define("d1", "Shirt")
    person = pull(None, record(datum("v1", "d1", "M")))
    without = person_record("9", updated=when(3), first_name="Annie")  # a webhook's person
    person = pull(person, without)
    assert values(person) == [("Shirt", "M", "v1")]
    assert custom_fields.values_of(person.pco_synced_state) == {"d1": "M"}


def test_a_webhook_datum_ticks_and_unticks_one_option(app):
    define("d2", "Serving", "checkboxes", options=("Music", "Kids", "Tech"))
    person = pull(None, record(datum("v2", "d2", "Music")))
    field = custom_fields.index().by_pco["d2"]
    custom_fields.apply_datum(person, field, "v3", datum("v3", "d2", "Kids"))
    db.session.commit()
    assert [row.value for row in person.field_values] == ["Music", "Kids"]
    custom_fields.apply_datum(person, custom_fields.index().by_pco["d2"], "v2", None)
    db.session.commit()
    assert [row.value for row in person.field_values] == ["Kids"]
    assert custom_fields.values_of(person.pco_synced_state) == {"d2": ["Kids"]}
    from pcosync.services.rules.state import digest
    assert person.pco_synced_hash == digest(person.pco_synced_state)


def test_values_are_cleaned_by_type():
    definition = FieldDefinition(name="N", data_type="number")
    assert definition.clean(" 3.50 ") == "3.5" and definition.clean("") is None
    assert FieldDefinition(name="D", data_type="date").clean("2020-02-03") == "2020-02-03"
    assert FieldDefinition(name="B", data_type="boolean").clean("on") == "true"
    for data_type, bad in (("number", "three"), ("date", "soon"), ("number", "nan")):
        try:
            FieldDefinition(name="X", data_type=data_type).clean(bad)
        except ValueError as err:
            assert repr(bad) in str(err)
        else:
            raise AssertionError(f"{bad!r} accepted as {data_type}")
