"""Note events: `note.created` carries the whole note (applied without a request, but for a
category met for the first time: one read of it), `note.destroyed` only ids (the note is
deleted here). PCO sends no `note.updated`: an edit in PCO arrives with the next Notes step.
Outcomes never repeat a note's text."""
from ....extensions import db
from ....pco import notes as pco_notes
from ....pco.errors import PCONotFound
from ...rules import notes as rules
from ...rules.erasures import skipped_note
from ...rules.merge import SKIPPED
from .common import erased, local_person, payload_data


def note_created(client, payload, log):
    record = pco_notes.load_note(payload_data(payload))
    if erased(record["person_pco_id"]):
        return skipped_note(record["person_pco_id"])
    person = local_person(record["person_pco_id"])
    if person is None:
        return "person not pulled yet: the next Notes step brings the note"
    category = _category(client, record["category_pco_id"])
    if category is None:
        return "note category unknown to PCO"
    return rules.apply_note(record, person.id, category, rules.held_note(record["pco_id"]))


def note_destroyed(client, payload, log):
    note = rules.held_note(payload_data(payload)["id"])
    if note is None:
        return SKIPPED
    db.session.delete(note)
    return "deleted"


def _category(client, pco_id):
    held = rules.categories_by_pco_id()
    if pco_id not in held:
        try:
            record = pco_notes.load_note_category(pco_notes.get_note_category(client, pco_id))
        except PCONotFound:
            return None
        rules.apply_category(record, held)
        db.session.flush()
    return held[pco_id]
