"""Person events: created and updated (the payload applied through the pull's merge rules),
destroyed (archived, never deleted), and the re-read when deliveries stamped alike disagree."""
from ....models import utcnow
from ....pco import schemas
from ....pco.profile_schemas import BY_FIELD, load_choice
from ...rules import choices
from ...rules.erasures import skipped_note
from ...rules.merge import SKIPPED, apply_person
from ...rules.review_items import file_archived_by_pco
from ...rules.state import digest, person_state_from_pco
from .. import payloads
from ..reads import or_none, read_then_apply
from .common import (
    INCOMPLETE, NOT_LINKED, TIED, erased, linked, local_person, payload_data, read_person,
)
from .scope import outside_scope


def person_changed(client, payload, log):
    data = payload_data(payload)
    pco_id = str(data["id"])
    if erased(pco_id):
        return skipped_note(pco_id)
    person = local_person(pco_id)
    outside = outside_scope(data, person)
    if outside:
        return outside
    if not payloads.carries_person(data):
        return read_person(client, log, pco_id, INCOMPLETE)
    if not linked(person):
        return read_person(client, log, pco_id, NOT_LINKED)
    record = schemas.load_person(data)
    if _tied(person, record):
        return read_person(client, log, pco_id, TIED)
    unknown = choices.unknown_ids([record])
    if unknown:
        return read_then_apply(client, log, f"person {pco_id}: an option unknown here",
                               lambda c: read_options(c, unknown),
                               lambda found, c, log: apply_person_payload(record, log, found))
    return apply_person_payload(record, log)


def _tied(person, record):
    if person.pco_updated_at is None or record["pco_updated_at"] != person.pco_updated_at:
        return False
    state = person_state_from_pco(record, person.pco_synced_state)
    return digest(state) != person.pco_synced_hash


def read_options(client, unknown):
    """(field, PCO id, value) of each option the person names that is unknown here."""
    found = []
    for field, pco_id in sorted(unknown):
        resource = or_none(client.get_choice, BY_FIELD[field], pco_id)
        if resource is not None:
            item = load_choice(resource, BY_FIELD[field])
            found.append((field, item["pco_id"], item["value"]))
    return found


def apply_person_payload(record, log, options=()):
    for field, pco_id, value in options:
        choices.learn(field, pco_id, value)
    choices.prepare([record])  # an option still unknown is left out: not said
    outcome, _ = apply_person(local_person(record["pco_id"]), record, log)
    log.count(outcome)
    return outcome


def person_destroyed(client, payload, log):
    person = local_person(str(payload_data(payload)["id"]))
    if person is None or person.archived_at is not None:
        return SKIPPED
    person.archived_at = utcnow()  # a tombstone: every local field is kept
    file_archived_by_pco(log, "Person", person, person.pco_id)
    return "archived"


def person_reread(client, payload, log):
    """Several deliveries stamped alike say different things: PCO's current record decides."""
    if erased(str(payload_data(payload)["id"])):
        return skipped_note(str(payload_data(payload)["id"]))
    return read_person(client, log, str(payload_data(payload)["id"]), TIED)
