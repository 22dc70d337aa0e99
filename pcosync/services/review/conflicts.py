"""Restoring the local side of a conflict ("keep mine"): the value goes back on the person, and
since the state agreed with PCO holds PCO's value, the next push sends it."""
from datetime import date

from ...models import Person
from ..rules import choices, custom_fields
from ..rules.contact_kinds import BY_NAME
from ..rules.three_way import DELETED_HERE, DELETED_IN_PCO


def restore_local(person, details):
    kind = BY_NAME.get(details.get("kind") or "")
    if details.get("kind") == custom_fields.CONFLICT_KIND:
        custom_fields.restore(person, details["contact_pco_id"], details["local"])
    elif kind is None:
        _restore_field(person, details["field"], details["local"])
    elif details.get("change") == DELETED_IN_PCO:
        item = kind.model(**details["values"])  # local-only now: the push creates it in PCO
        kind.items(person).append(item)
    elif details.get("change") == DELETED_HERE:
        for item in _linked(person, kind, details["contact_pco_id"]):
            kind.items(person).remove(item)  # still in the agreed state: the push deletes it
    else:
        for item in _linked(person, kind, details["contact_pco_id"]):
            setattr(item, details["field"], details["local"])


def _linked(person, kind, pco_id):
    return [item for item in kind.items(person) if item.pco_id == pco_id]


def _restore_field(person, name, value):
    """`value` as the synced state holds it: a choice or campus by its PCO id, a date as ISO."""
    if name in choices.RELATION_FIELDS:
        value = _choice_value(name, value)
    elif value is not None and Person.__table__.c[name].type.python_type is date:
        value = date.fromisoformat(value)
    setattr(person, name, value)


def _choice_value(name, state_id):
    if state_id is None:
        return None
    if state_id.startswith(choices.NEW):  # a value PCO did not have: the push creates it
        value = state_id[len(choices.NEW):]
        return int(value.removeprefix("campus ")) if name == choices.CAMPUS else value
    return choices.index().value_of(name, state_id)
