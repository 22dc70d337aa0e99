"""A church's custom fields, as a pull leaves them: a Membership tab and a Serving tab (every
data type PCO has), a field PCO deleted and a local-only one; and a person holding values, some
linked to PCO's field data. Used by the directory's, the settings page's and the browser's
custom-field tests."""
from datetime import datetime, timezone

from pcosync.extensions import db
from pcosync.models import FieldDefinition, FieldOption, FieldSync, FieldTab, FieldValue
from tests.factories import make_person

FORM_URL = "https://files.example.org/uploads/background-check-ann-lee.pdf"
SERVING_OPTIONS = ("Worship team", "Kids ministry", "Hospitality", "Tech & media",
                   "Prayer team")
SIZES = ("S", "M", "L", "XL")


def define(tab, name, data_type, sequence, pco_id=None, sync=FieldSync.PULL, options=(),
           deleted=False):
    definition = FieldDefinition(tab=tab, name=name, data_type=data_type, sequence=sequence,
                                 pco_field_definition_id=pco_id, sync=sync)
    if deleted:
        definition.deleted_at = datetime(2025, 11, 2, tzinfo=timezone.utc)
    for rank, value in enumerate(options, start=1):
        definition.options.append(FieldOption(value=value, sequence=rank,
                                              pco_field_option_id=f"{pco_id}-{rank}"))
    db.session.add(definition)
    return definition


def church_fields():
    """{name: FieldDefinition}; the Serving tab comes second although it was added first."""
    serving = FieldTab(name="Serving", sequence=2, pco_tab_id="t2")
    membership = FieldTab(name="Membership", sequence=1, pco_tab_id="t1")
    fields = [
        define(membership, "Baptism date", "date", 1, "f1", FieldSync.BOTH),
        define(membership, "Membership class completed", "boolean", 2, "f2"),
        define(membership, "Membership notes", "text", 3, "f3"),
        define(membership, "Previous church", "string", 4, "f4", deleted=True),
        define(membership, "Home group host", "string", 5, None),  # local only
        define(serving, "Volunteer details", "header", 1, "f5"),
        define(serving, "Serving interests", "checkboxes", 2, "f6", FieldSync.BOTH,
               SERVING_OPTIONS),
        define(serving, "T-shirt size", "select", 3, "f7", FieldSync.OFF, SIZES),
        define(serving, "Years serving", "number", 4, "f8"),
        define(serving, "Background check form", "file", 5, "f9"),
    ]
    db.session.commit()
    return {field.name: field for field in fields}


def give(person, definition, value, datum_id=None, **extra):
    person.field_values.append(FieldValue(definition_id=definition.id, value=value,
                                          pco_field_datum_id=datum_id, **extra))


def member_with_values(fields, **person_fields):
    """Ann Lee, linked to PCO, holding a value of most fields (each one's datum id is "d-" and
    the field's id in PCO)."""
    ann = make_person("Ann", "Lee", pco_id="501", **person_fields)
    give(ann, fields["Baptism date"], "03/12/2019", "d-f1")  # as PCO writes a date
    give(ann, fields["Membership class completed"], "true", "d-f2")
    give(ann, fields["Membership notes"], "Joined from First Baptist\nPrefers texts", "d-f3")
    give(ann, fields["Previous church"], "First Baptist", "d-f4")
    give(ann, fields["Serving interests"], "Worship team", "d-f6-1")
    give(ann, fields["Serving interests"], "Hospitality", "d-f6-3")
    give(ann, fields["T-shirt size"], "M", "d-f7")
    give(ann, fields["Years serving"], "4", "d-f8")
    give(ann, fields["Background check form"], "background-check.pdf", "d-f9",
         file_name="background-check.pdf", file_url=FORM_URL)
    db.session.commit()
    return ann


def rows_of(person, definition):
    """[(value, datum id)] of one field, as the database has them now."""
    db.session.expire_all()
    rows = db.session.query(FieldValue).filter_by(person_id=person.id,
                                                  definition_id=definition.id)
    return sorted(((row.value, row.pco_field_datum_id) for row in rows),
                  key=lambda pair: (pair[0] or "", pair[1] or ""))
