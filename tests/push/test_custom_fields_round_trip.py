"""Custom fields round trip against the sandbox over HTTP, on both databases: every data type
pulled equals PCO; edited here and pushed (only the changed data written) equals; pulled again,
zero writes; a checkbox field with three ticked options; a file read only; "off" and "pull only"
obeyed."""
import pytest
from sqlalchemy import select

from pcosync.extensions import db
from pcosync.models import FieldDefinition, FieldSync, FieldValue, Person
from pcosync.pco.custom_field_schemas import field_date
from tests.support import (
    dump, issues, pco_person, reset_stats, run, sandbox_admin, stats,
)

EDITED = ("Baptism date", "T-shirt size", "Serving interests", "Membership notes")


@pytest.fixture
def sandbox_settings():
    return {"people": 60}  # enough for every data type held by several people


def definitions():
    return {d.name: d for d in db.session.scalars(select(FieldDefinition))}


def local_values(pco_id):
    """{definition PCO id: value} in the sandbox dump's form (dates as PCO writes them)."""
    person = db.session.scalar(select(Person).where(Person.pco_id == str(pco_id)))
    found = {}
    for row in person.field_values:
        definition = row.definition
        key = definition.pco_field_definition_id
        if definition.data_type == "checkboxes":
            found[key] = sorted(found.get(key, []) + [row.value])
        else:
            found[key] = row.value
    return dict(sorted(found.items()))


def pco_values(sandbox, pco_id):
    """The dump's values with dates in ISO, as they are held here."""
    types = {d["id"]: d["data_type"] for d in dump(sandbox)["field_definitions"]}
    return {key: field_date(value, "%m/%d/%Y") if types[key] == "date" else value
            for key, value in pco_person(sandbox, pco_id)["custom_fields"].items()}


def field_data_writes(sandbox):
    return {route: count for route, count in stats(sandbox)["by_route"].items()
            if not route.startswith("GET ") and "field_data" in route}


def sync_both_ways(*names):
    found = definitions()
    for name in names or found:
        if not found[name].is_read_only:
            found[name].sync = FieldSync.BOTH
    db.session.commit()


def holder(sandbox):
    """A person PCO holds custom-field values for."""
    return next(p["id"] for p in dump(sandbox)["people"] if len(p["custom_fields"]) >= 3)


def test_every_type_is_pulled_as_pco_holds_it_and_a_second_pull_writes_nothing(sandbox):
    first = run("People")
    assert first.status == "COMPLETED" and first.failed_count == 0
    found = definitions()
    assert {d.data_type for d in found.values()} >= {"date", "boolean", "text", "checkboxes",
                                                     "select", "number", "file"}
    assert all(d.sync == FieldSync.PULL for d in found.values())  # nothing sent by default
    people = [p for p in dump(sandbox)["people"] if p["custom_fields"]]
    assert len(people) > 20
    for person in people:
        assert local_values(person["id"]) == pco_values(sandbox, person["id"]), person["id"]
    held = db.session.scalar(select(FieldValue).where(FieldValue.file_url.is_not(None)))
    assert held.file_name and held.file_url.startswith("http")
    assert found["Previous church"].deleted_at is not None  # deleted in PCO: kept, marked

    again = run("People")
    assert (again.created_count, again.updated_count) == (0, 0)


def test_edited_here_only_the_changed_data_are_written_and_everything_converges(sandbox):
    run("People")
    sync_both_ways()
    found = definitions()
    pco_id = holder(sandbox)
    person = db.session.scalar(select(Person).where(Person.pco_id == pco_id))
    rows = {row.definition.name: row for row in person.field_values}
    before = pco_values(sandbox, pco_id)
    for name in EDITED:
        for row in [r for r in person.field_values if r.definition.name == name]:
            person.field_values.remove(row)
    options = [o.value for o in found["Serving interests"].options]
    person.field_values += [
        FieldValue(definition_id=found["Baptism date"].id, value="2011-04-24"),
        FieldValue(definition_id=found["T-shirt size"].id,
                   value=found["T-shirt size"].options[0].value),
        FieldValue(definition_id=found["Membership notes"].id, value="Joined the choir"),
    ] + [FieldValue(definition_id=found["Serving interests"].id, value=v) for v in options[:3]]
    untouched = {name: row.pco_field_datum_id for name, row in rows.items() if name not in EDITED}
    db.session.commit()
    reset_stats(sandbox)

    pushed = run("Push People")

    assert pushed.status == "COMPLETED" and pushed.failed_count == 0
    after = pco_values(sandbox, pco_id)
    changed_single = [key for key in after if not isinstance(after[key], list)
                      and after.get(key) != before.get(key)]
    serving = found["Serving interests"].pco_field_definition_id
    ticked, was = set(after[serving]), set(before.get(serving, []))
    # One write per changed field, one per option ticked or unticked; nothing else.
    assert sum(field_data_writes(sandbox).values()) == (
        len(changed_single) + len(ticked ^ was))
    assert local_values(pco_id) == pco_values(sandbox, pco_id)
    assert pco_values(sandbox, pco_id)[found["Serving interests"].pco_field_definition_id] == \
        sorted(options[:3])
    assert {name: row.pco_field_datum_id for name, row in rows.items()
            if name in untouched} == untouched

    reset_stats(sandbox)
    again = run("Push People")
    assert (again.created_count, again.updated_count) == (0, 0)
    assert not field_data_writes(sandbox)
    pulled = run("People")
    assert (pulled.created_count, pulled.updated_count) == (0, 0)


def test_off_and_pull_only_fields_are_never_sent_and_off_is_never_written(sandbox):
    run("People")
    found = definitions()
    found["Membership notes"].sync = FieldSync.OFF  # "T-shirt size" stays pull only
    db.session.commit()
    pco_id = holder(sandbox)
    person = db.session.scalar(select(Person).where(Person.pco_id == pco_id))
    person.field_values += [
        FieldValue(definition_id=found["Membership notes"].id, value="local note"),
        FieldValue(definition_id=found["T-shirt size"].id, value="XL")]
    for row in list(person.field_values):
        if row.definition.name in ("Membership notes", "T-shirt size") and row.pco_field_datum_id:
            person.field_values.remove(row)
    db.session.commit()
    reset_stats(sandbox)

    run("Push People")
    assert not field_data_writes(sandbox)

    sandbox_admin(sandbox, "POST", "/field_data", {"person_id": pco_id, "field": "Membership notes",
                                                   "value": "PCO's note"})
    run("People")
    db.session.expire_all()
    kept = {row.definition.name: row.value for row in person.field_values
            if row.definition.name in ("Membership notes", "T-shirt size")}
    assert kept == {"Membership notes": "local note", "T-shirt size": "XL"}


def test_a_file_field_is_read_only(sandbox):
    run("People")
    sync_both_ways()
    row = db.session.scalar(select(FieldValue).where(FieldValue.file_url.is_not(None)))
    assert row.definition.is_read_only
    pco_id, before = row.person.pco_id, row.file_name
    row.value = row.file_name = "changed-here.pdf"
    db.session.commit()
    reset_stats(sandbox)
    run("Push People")
    assert not field_data_writes(sandbox)
    assert pco_person(sandbox, pco_id)["custom_fields"][
        row.definition.pco_field_definition_id] == before


def test_a_field_made_here_is_created_in_pco_once_and_its_values_follow(sandbox):
    from pcosync.models import FieldOption, FieldTab

    run("People")
    serving = db.session.scalar(select(FieldTab).where(FieldTab.name == "Serving"))
    made = FieldDefinition(name="Small group", data_type="select", sync=FieldSync.BOTH,
                           tab=FieldTab(name="Connections"),
                           options=[FieldOption(value="Tuesday"), FieldOption(value="Thursday")])
    twin = FieldDefinition(name="Years Serving", data_type="number", sync=FieldSync.BOTH,
                           tab=serving)  # PCO's "Years serving", already here: never twice
    db.session.add_all([made, twin])
    db.session.commit()
    person = db.session.scalar(select(Person).where(Person.pco_id == holder(sandbox)))
    person.field_values.append(FieldValue(definition_id=made.id, value="Thursday"))
    db.session.commit()
    reset_stats(sandbox)

    pushed = run("Push People")

    assert pushed.status == "COMPLETED" and pushed.failed_count == 0
    assert {route: n for route, n in stats(sandbox)["by_route"].items()
            if route.startswith("POST") and "field_data" not in route} == {
        "POST /people/v2/tabs": 1, "POST /people/v2/tabs/<id>/field_definitions": 1,
        "POST /people/v2/field_definitions/<id>/field_options": 2}
    in_pco = {d["name"]: d for d in dump(sandbox)["field_definitions"]}
    assert [o["value"] for o in in_pco["Small group"]["options"]] == ["Tuesday", "Thursday"]
    assert twin.pco_field_definition_id is None  # never a second copy of PCO's field
    assert "already here" in issues(pushed)[0].reason
    assert pco_person(sandbox, person.pco_id)["custom_fields"][made.pco_field_definition_id] \
        == "Thursday"
    reset_stats(sandbox)
    run("Push People")
    assert not [route for route in stats(sandbox)["by_route"] if not route.startswith("GET")]
