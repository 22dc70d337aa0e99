"""People met for the first time, created in bulk: the rows merge._write makes for each (the
person, their emails, phone numbers and addresses, their custom-field values and history),
inserted together for a whole page (insert_many.insert_with_children: one statement on
PostgreSQL). A first pull is almost only creates, and the ORM's
unit of work (an object, its instrumented attributes and its bookkeeping per row) was most of
its time.

The rows are value for value those of the ORM path: the same functions turn a record into
columns (merge.take_fields, choices.write, merge.set_contact, merge.agree_with and
custom_fields.new_value_rows), run on stand-ins of the model instances that call the models' own
@validates on every set (search name, normalized email, phone digits, a file's web address),
and a column left unset gets its own default, as an INSERT of the ORM would.
tests/pull/test_bulk_writes.py holds the two paths equal.
"""
from ...models import FieldChange, FieldValue, Person
from ..history import context as history
from ..history.capture import created_rows
from ..rules import choices, custom_fields
from ..rules.contact_kinds import CONTACT_KINDS
from ..rules.merge import agree_with, set_contact, take_fields, restore_if_reactivated
from ..rules.state import PLAIN_FIELDS
from .insert_many import NewId, insert_with_children, statement_with_children


class StandIn:
    """What a new instance of `model` would hold once written: plain attributes (None until
    set, like a new ORM object's), with the model's @validates run on every set. `values`:
    the columns set."""

    _validators = {}

    def __new__(cls, model, **values):
        return super().__new__(_stand_in_class(model))

    def __init__(self, model, **values):
        for name, value in values.items():
            setattr(self, name, value)

    def __setattr__(self, name, value):
        validator = self._validators.get(name)
        if validator is not None:
            value = validator(self, name, value)
        self.__dict__[name] = value

    @property
    def values(self):
        return self.__dict__


_STAND_INS = {}


def _stand_in_class(model):
    """StandIn for one model: its columns as class attributes (None), its validators."""
    found = _STAND_INS.get(model)
    if found is None:
        attributes = {column.key: None for column in model.__table__.c}
        attributes["_validators"] = {name: validator for name, (validator, _options)
                                     in model.__mapper__.validators.items()}
        found = _STAND_INS[model] = type(f"{model.__name__}StandIn", (StandIn,), attributes)
    return found


def create_people(records):
    """A new person for each record (all met for the first time, with distinct PCO ids), with
    their contact points, custom-field values and history, in one statement on PostgreSQL (a
    few elsewhere). Returns {PCO id: local id}."""
    if not records:
        return {}
    return insert_with_children(*_people_rows(records))


def people_statement(records):
    """create_people's one statement, not sent (insert_many.statement_with_children): for
    page_writer.PageWriter, which sends it on a connection of its own. None where create_people
    takes more than one statement."""
    return statement_with_children(*_people_rows(records)) if records else None


def _people_rows(records):
    """(Person, its key, the people's rows, [(child model, rows)]) for insert_with_children."""
    people = [new_person(record) for record in records]
    children = [(kind.model, [new_contact(kind, data, NewId(record["pco_id"])).values
                              for record in records for data in record[kind.name]])
                for kind in CONTACT_KINDS]
    children.append((FieldValue, [
        StandIn(FieldValue, person_id=NewId(record["pco_id"]), **values).values
        for record in records for values in custom_fields.new_value_rows(record)]))
    if history.enabled():  # the "created" row of each (their contact points are part of it)
        children.append((FieldChange, created_rows("Person", [
            (NewId(person.pco_id), {"person_id": NewId(person.pco_id)},
             Person.full_name.fget(person)) for person in people], history.current())))
    return Person, Person.pco_id, [person.values for person in people], children


def new_person(record):
    """merge._write for a person met for the first time, on a stand-in."""
    person = StandIn(Person, pco_id=record["pco_id"])
    restore_if_reactivated(person, record)
    take_fields(person, record, PLAIN_FIELDS)
    choices.write(person, record)
    agree_with(person, record)
    return person


def new_contact(kind, data, person_id):
    """merge.merge_contacts' new contact point, on a stand-in."""
    item = StandIn(kind.model, pco_id=data["pco_id"], person_id=person_id)
    set_contact(item, data, kind.fields)
    return item
