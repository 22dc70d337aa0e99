"""Push People's person fields: the ones changed since the last sync, in one PATCH, choices
named by PCO id.

Which people a push walks: the live ones, and the archived ones linked to PCO, since archiving
here makes a person inactive there (with the chosen reason) and restoring makes them active.
An archived person PCO never had is not created there.

A choice PCO does not have yet (a value typed here, a campus made here) is first looked for in
PCO's list, else created there (PCO lets the API create every one of these lists); if PCO
refuses, the person fails with a SyncIssue that names the value, and nothing is dropped.
"""
from dataclasses import dataclass
from datetime import datetime

from marshmallow import ValidationError
from sqlalchemy import and_, or_

from ...extensions import db
from ...models import PULL_ONLY_PERSON_FIELDS, SYNCED_PERSON_FIELDS, Campus, Person
from ...pco import schemas
from ...pco.errors import PCOAuthError, PCOValidationError
from ...pco.profile_schemas import BY_FIELD, choice_write, load_choice
from ..rules import choices
from ..rules.scope import sendable
from ..rules.state import person_state_from_pco

PUSHED_FIELDS = tuple(name for name in SYNCED_PERSON_FIELDS
                      if name not in PULL_ONLY_PERSON_FIELDS)


@dataclass
class Answer:
    """What PCO holds after the PATCH: the state to agree on, and its updated_at."""
    state: dict
    pco_updated_at: datetime | None


def people_to_push():
    """Never one the scope holds back (rules/scope.py: do not send, push rules)."""
    return and_(or_(Person.archived_at.is_(None),
                    and_(Person.pco_id.is_not(None), Person.pco_synced_hash.is_not(None))),
                sendable())


def patch_changed(client, person, local, stored):
    """PATCH the fields that differ from `stored` (pull-only ones never go); None when none
    does. The person's pull-only columns take what PCO answered."""
    changed = {name: local[name] for name in PUSHED_FIELDS if local[name] != stored.get(name)}
    if not changed:
        return None
    named = {field: pco_choice_id(client, person, field, value)
             for field, value in changed.items() if field in choices.RELATION_FIELDS}
    plain = {field: value for field, value in changed.items() if field not in named}
    attributes, relationships = choice_write(named)
    resource = client.update_person(person.pco_id, {**schemas.dump_person(plain), **attributes},
                                    relationships or None)
    record = schemas.load_person(resource)
    keep_pull_only(person, record)
    # A PATCH's answer carries few relationships: the choices sent are what PCO now holds.
    now_held = person_state_from_pco(record, {**stored, **named})
    fields = {name: now_held[name] for name in SYNCED_PERSON_FIELDS}
    return Answer({**stored, **fields}, record["pco_updated_at"])


def keep_pull_only(person, record):
    """PCO's own fields (inactivated_at follows the status; its photo) as PCO answered."""
    for name in PULL_ONLY_PERSON_FIELDS:
        if name in record and getattr(person, name) != record[name]:
            setattr(person, name, record[name])


def pco_choice_id(client, person, field, state_value):
    """The PCO id to send for a choice of the local state (see rules/choices.NEW)."""
    if state_value is None or not state_value.startswith(choices.NEW):
        return state_value
    if field == choices.CAMPUS:
        campus = db.session.get(Campus, person.campus_id)
        return _in_pco(client, field, campus.name, campus)
    return _in_pco(client, field, state_value[len(choices.NEW):])


def _in_pco(client, field, value, campus=None):
    choice = BY_FIELD[field]
    pco_id = _listed(client, choice, value)
    if pco_id is None:
        try:
            pco_id = load_choice(client.create_choice(choice, value), choice)["pco_id"]
        except (PCOAuthError, PCOValidationError, ValidationError) as err:
            raise PCOValidationError(f"PCO has no {choice.label} {value!r} and did not let it "
                                     f"be created ({err}); add it in PCO, then push again")
    choices.link(field, pco_id, value, campus)
    return pco_id


def _listed(client, choice, value):
    """The id of the option PCO already has with this value (created by another app, or by a
    push whose answer was lost), else None."""
    for page in client.iter_choices(choice):
        for resource in page.records:
            try:
                item = load_choice(resource, choice)
            except ValidationError:
                continue
            if item["value"] == value:
                return item["pco_id"]
    return None
