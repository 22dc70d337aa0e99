"""A person's custom-field values in the sync: how they enter the synced state, how PCO's field
data are applied (PCO wins on first link; three ways afterwards), and the admin's per-field
setting. No HTTP here.

In the synced state (rules/state.py) the values sit under CUSTOM_FIELDS, keyed by the field
definition's PCO id: a text for most types, the sorted ticked values for checkboxes, the file's
address for a file. FIELD_DATA_IDS remembers which PCO datum holds each value, so a push
updates or deletes that datum rather than adding another. Both keys are absent for a person
with no values, so the states of people without custom fields are as they always were.

The admin's setting (models.FieldSync) decides what a field is to the sync:
- off, a definition PCO deleted, or a local-only definition: not in the state at all, so no
  request and no write ever touches it (its values stay here as they are);
- pull only: PCO's value is taken whenever PCO changes it; a local edit stays here and is never
  sent (the local state shows the agreed value, so the push sees nothing to send);
- both: merged three ways like any profile field, and pushed.
"""
from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import select

from ...extensions import db
from ...models import FieldDefinition, FieldSync, FieldType, FieldValue
from ...models.custom_fields import READ_ONLY_TYPES
from ...pco.custom_field_schemas import field_date
from . import lookups
from .review_items import file_conflict
from .three_way import TAKE_PCO, Conflict, merge_value

CUSTOM_FIELDS, FIELD_DATA_IDS = "custom_fields", "field_data_ids"
CONFLICT_KIND = "custom_field"  # a Conflict's kind for a custom field (the review queue)
_CACHE_KEY = "pcosync.field_index"


@dataclass(frozen=True)
class Field:
    """What the sync needs to know of one definition (read once per transaction)."""
    id: int
    pco_id: str | None
    name: str
    data_type: str
    sync: str
    deleted: bool

    @property
    def synced(self):
        return self.pco_id is not None and not self.deleted and self.sync != FieldSync.OFF

    @property
    def multiple(self):
        return self.data_type == FieldType.CHECKBOXES

    @property
    def pushed(self):
        return (self.synced and self.sync == FieldSync.BOTH
                and self.data_type not in READ_ONLY_TYPES)


class FieldIndex:
    def __init__(self, rows=()):
        self.by_id, self.by_pco = {}, {}
        for row in rows:
            self.add(Field(*row))

    @classmethod
    def load(cls):
        return cls(db.session.execute(select(
            FieldDefinition.id, FieldDefinition.pco_field_definition_id, FieldDefinition.name,
            FieldDefinition.data_type, FieldDefinition.sync,
            FieldDefinition.deleted_at.is_not(None))).all())

    def add(self, field):
        self.by_id[field.id] = field
        if field.pco_id is not None:
            self.by_pco[field.pco_id] = field


def index():
    """This transaction's FieldIndex: a church has tens of fields, every person compares them
    (or the pull's: rules/lookups)."""
    return lookups.cached(_CACHE_KEY, FieldIndex.load)


def forget_index():
    lookups.forget(_CACHE_KEY)


# -- values as the state holds them -----------------------------------------------------------

def state_value(field, value, file_url=None):
    """A file is known by its address (a new upload is a change); anything else by its text."""
    if field.data_type == FieldType.FILE:
        return file_url or value or None
    return value if value not in (None, "") else None


def pco_value(field, value):
    """A value as PCO serves it -> as held here: a date in ISO (PCO writes the organization's
    format, PCO_DATE_FORMAT)."""
    if field.data_type == FieldType.DATE:
        return field_date(value, current_app.config.get("PCO_DATE_FORMAT") or "%m/%d/%Y")
    return value


def value_for_pco(field, value):
    """A value held here -> as PCO writes it (a date in the organization's format, which PCO
    surely reads back as the same date)."""
    if field.data_type == FieldType.DATE and value:
        try:
            held = date.fromisoformat(value)
        except ValueError:
            return value
        return held.strftime(current_app.config.get("PCO_DATE_FORMAT") or "%m/%d/%Y")
    return value


def _from_pco(field, datum):
    """A datum with its value as held here."""
    return {**datum, "value": pco_value(field, datum.get("value"))}


def _add(values, ids, field, value, datum_id):
    if value is None:
        return
    if field.multiple:
        if value not in values.setdefault(field.pco_id, []):
            values[field.pco_id].append(value)
    else:
        values[field.pco_id] = value
    if datum_id is not None:
        ids.setdefault(field.pco_id, {})[value] = datum_id


def _as_state(values, ids):
    for key, held in values.items():
        if isinstance(held, list):
            held.sort()
    return {CUSTOM_FIELDS: values, FIELD_DATA_IDS: ids} if values else {}


def state_from_pco(record, stored=None):
    """The custom-field part of the state from a loaded person; a person read without their
    field data (a webhook, a PATCH's answer) keeps the part held."""
    if not record.get("field_data_included"):
        return _held(stored)
    fields, values, ids = index(), {}, {}
    for key, data in _data_by_field(record).items():
        for datum in data:
            _add(values, ids, fields.by_pco[key],
                 state_value(fields.by_pco[key], datum["value"], datum["file_url"]),
                 datum["pco_id"])
    return _as_state(values, ids)


def state_from_local(person):
    """The custom-field part of the state from the rows; a pull-only field shows the agreed
    value, so a local edit of it is never sent."""
    fields, values, ids = index(), {}, {}
    held = _held(person.pco_synced_state)
    for row in person.field_values:
        field = fields.by_id.get(row.definition_id)
        if field is not None and field.pushed:
            _add(values, ids, field, state_value(field, row.value, row.file_url),
                 row.pco_field_datum_id)
    for key, value in held.get(CUSTOM_FIELDS, {}).items():
        field = fields.by_pco.get(key)
        if field is not None and field.synced and not field.pushed:
            values[key] = value
            ids[key] = held.get(FIELD_DATA_IDS, {}).get(key, {})
    return _as_state(values, ids)


def _held(stored):
    stored = stored or {}
    if not stored.get(CUSTOM_FIELDS):
        return {}
    return {CUSTOM_FIELDS: stored[CUSTOM_FIELDS], FIELD_DATA_IDS: stored.get(FIELD_DATA_IDS, {})}


def values_of(state):
    return (state or {}).get(CUSTOM_FIELDS, {})


def datum_ids_of(state, key):
    return (state or {}).get(FIELD_DATA_IDS, {}).get(key, {})


# -- applying PCO's field data ----------------------------------------------------------------

def _data_by_field(record):
    """PCO's data of the synced fields, by definition PCO id."""
    fields, found = index(), {}
    for datum in record.get("field_data") or ():
        field = fields.by_pco.get(datum["definition_pco_id"])
        if field is not None and field.synced:
            found.setdefault(field.pco_id, []).append(_from_pco(field, datum))
    return found


def write(person, record):
    """PCO's values for every synced field (a person met for the first time: PCO holds them)."""
    if not record.get("field_data_included"):
        return
    data, fields = _data_by_field(record), index()
    held = (fields.by_id.get(row.definition_id) for row in person.field_values)
    keys = set(data) | {field.pco_id for field in held if field is not None and field.synced}
    for key in keys:
        replace_values(person, fields.by_pco[key], data.get(key, []))


def new_value_rows(record):
    """The FieldValue rows (as dicts, without person_id) a new person gets from a record: what
    write() makes, for a bulk insert."""
    if not record.get("field_data_included"):
        return []
    fields = index()
    return [_row_values(fields.by_pco[key], datum)
            for key, data in _data_by_field(record).items() for datum in data]


def _row_values(field, datum):
    file_name = datum.get("file_name")
    value = file_name if field.data_type == FieldType.FILE else datum.get("value")
    return {"definition_id": field.id, "value": value, "file_name": file_name,
            "file_url": datum.get("file_url"), "file_size": datum.get("file_size"),
            "pco_field_datum_id": datum["pco_id"]}


def replace_values(person, field, data):
    """The person's rows of one field become PCO's data: matched by datum id, then by value;
    rows PCO does not hold are removed."""
    rows = [row for row in person.field_values if row.definition_id == field.id]
    by_datum = {row.pco_field_datum_id: row for row in rows if row.pco_field_datum_id}
    unlinked = [row for row in rows if not row.pco_field_datum_id]
    kept = set()
    for datum in data:
        values = _row_values(field, datum)
        row = by_datum.get(datum["pco_id"]) or _take_alike(unlinked, values["value"], field)
        if row is None:
            row = FieldValue(definition_id=field.id)
            person.field_values.append(row)
        for name, value in values.items():
            if getattr(row, name) != value:
                setattr(row, name, value)
        kept.add(id(row))
    for row in rows:
        if id(row) not in kept:
            person.field_values.remove(row)


def _take_alike(rows, value, field):
    for row in rows:
        if row.value == value or not field.multiple:
            rows.remove(row)
            return row
    return None


def merge(person, record, base, local, remote):
    """The three-way merge of the synced fields; returns the conflicts (PCO's value is taken)."""
    if not record.get("field_data_included"):
        return []
    fields, data = index(), _data_by_field(record)
    base_values, local_values, remote_values = values_of(base), values_of(local), values_of(remote)
    conflicts = []
    for key in dict.fromkeys([*base_values, *local_values, *remote_values]):
        field = fields.by_pco.get(key)
        if field is None or not field.synced:
            continue
        decision, conflict = merge_value(base_values.get(key), local_values.get(key),
                                         remote_values.get(key))
        if decision == TAKE_PCO:
            replace_values(person, field, data.get(key, []))
        else:
            link_data(person, field, data.get(key, []))
        if conflict:
            conflicts.append(Conflict(field.name, local_values.get(key), remote_values.get(key),
                                      CONFLICT_KIND, key))
    return conflicts


def link_data(person, field, data):
    """Rows holding the same value as one of PCO's data take its id (set on both sides alike,
    or created by a push whose answer was lost)."""
    linked = {row.pco_field_datum_id for row in person.field_values if row.pco_field_datum_id}
    free = [datum for datum in data if datum["pco_id"] not in linked]
    for row in person.field_values:
        if row.definition_id != field.id or row.pco_field_datum_id:
            continue
        for datum in free:
            if state_value(field, datum["value"], datum["file_url"]) == \
                    state_value(field, row.value, row.file_url):
                row.pco_field_datum_id = datum["pco_id"]
                free.remove(datum)
                break


def fill_blanks(person, record):
    """Linking must not erase what PCO holds and we do not: its values of the fields that hold
    nothing here."""
    if not record.get("field_data_included"):
        return
    held = {row.definition_id for row in person.field_values}
    fields = index()
    for key, data in _data_by_field(record).items():
        field = fields.by_pco[key]
        if field.id in held:
            link_data(person, field, data)
        else:
            replace_values(person, field, data)


def restore(person, definition_pco_id, value):
    """"Keep mine" for a custom-field conflict: the local value goes back on the person, and
    the next push sends it."""
    field = index().by_pco.get(definition_pco_id)
    if field is None:
        return
    values = value if isinstance(value, list) else ([] if value is None else [value])
    rows = [row for row in person.field_values if row.definition_id == field.id]
    for row in rows:
        person.field_values.remove(row)
    for item in values:
        person.field_values.append(FieldValue(definition_id=field.id, value=item))


# -- one datum at a time (webhooks) -----------------------------------------------------------

def apply_datum(person, field, datum_id, datum, log=None):
    """One of PCO's data of a person changed (`datum`) or was deleted (`datum` None): merged
    three ways against the agreed state like a whole pull, and the agreed state moves on."""
    base = person.pco_synced_state or {}
    key = field.pco_id
    remote_ids = {value: held for value, held in datum_ids_of(base, key).items()
                  if held != datum_id}
    datum = _from_pco(field, datum) if datum else None
    value = state_value(field, datum["value"], datum["file_url"]) if datum else None
    if value is not None:
        if not field.multiple:
            remote_ids = {}
        remote_ids[value] = datum_id
    remote = (sorted(remote_ids) or None) if field.multiple else value
    local = values_of(state_from_local(person)).get(key)
    decision, conflict = merge_value(values_of(base).get(key), local, remote)
    if decision == TAKE_PCO:
        data = [{"pco_id": held, "value": item, "file_name": None, "file_url": None}
                for item, held in remote_ids.items() if held != datum_id]
        replace_values(person, field, data + ([datum] if value is not None else []))
    if conflict and log is not None:
        file_conflict(log, person, Conflict(field.name, local, remote, CONFLICT_KIND, key))
    _agree_field(person, key, remote, remote_ids)


def _agree_field(person, key, remote, remote_ids):
    from .state import digest  # here, not at the top: rules/state imports this module
    state = dict(person.pco_synced_state or {})
    values = dict(values_of(state))
    ids = dict(state.get(FIELD_DATA_IDS) or {})
    values.pop(key, None)
    ids.pop(key, None)
    if remote is not None:
        values[key], ids[key] = remote, remote_ids
    state.pop(CUSTOM_FIELDS, None)
    state.pop(FIELD_DATA_IDS, None)
    state.update(_as_state(values, ids))
    person.pco_synced_state, person.pco_synced_hash = state, digest(state)
