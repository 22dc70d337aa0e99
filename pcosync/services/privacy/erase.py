"""Erase one person on request: in PCO first when asked (what PCO refuses is reported, and the
local erasure goes ahead), then every kind of their data here (kinds.py), and an erasure record
without personal data that keeps their PCO id from ever coming back (rules/erasures.py)."""
import logging
from dataclasses import dataclass, field

from ...extensions import db
from ...models import PersonErasure
from ...pco.errors import PCOError, PCONotFound
from ..connection import make_client
from .kinds import KINDS
from .rows import identifying_strings

log = logging.getLogger("pcosync.privacy")
NOT_ASKED, DELETED_IN_PCO, NOT_IN_PCO = "not asked", "deleted in PCO", "not in PCO (already gone)"
# What a deletion in PCO takes with the person (PCO's own rule), for the confirmation page.
PCO_SIDE = ("The person in PCO, with their emails, phone numbers and addresses, household and "
            "group memberships, custom field values and notes. PCO refuses to delete a person "
            "who is in another of its apps (Services, Giving, Check-Ins...): then they stay there.")


@dataclass
class ErasePlan:
    """What an erasure would remove here, kind by kind, and whether PCO holds the person."""
    here: list = field(default_factory=list)  # [(label, how many)]
    pco_id: str | None = None


def plan(person, can=lambda permission: True):
    """What goes here, kind by kind (how many records; a kind `can` does not allow is named,
    not counted: it goes too)."""
    shown = []
    for kind in KINDS:
        if kind.permission and not can(kind.permission):
            shown.append((kind.label, "not shown to you"))
            continue
        data = kind.export(person)
        size = len(data) if isinstance(data, list) else sum(
            len(v) if isinstance(v, list) else 1 for v in data.values() if v)
        shown.append((kind.label, size))
    return ErasePlan(here=shown, pco_id=person.pco_id)


@dataclass
class Erasure:
    record: PersonErasure
    counts: dict  # kind name -> rows removed or scrubbed


def erase_person(person, erased_by, client=None):
    """Erase `person`; `client`: also delete them in PCO (a PCO client), else None. Commits."""
    outcome = NOT_ASKED
    if client is not None and person.pco_id:
        outcome = delete_in_pco(client, person.pco_id)
    identifying_strings(person)  # loads what the erasers scrub by, before the rows go
    record = PersonErasure(pco_id=person.pco_id, former_person_id=person.id,
                           erased_by=erased_by[:200], pco_outcome=outcome)
    counts = {kind.name: kind.erase(person) for kind in KINDS}
    db.session.add(record)
    db.session.commit()
    log.info("person erased erasure_id=%s former_id=%s pco_id=%s pco=%r", record.id,
             record.former_person_id, record.pco_id, outcome)
    db.session.expunge(person)  # its row is gone: nothing may load or flush it again
    return Erasure(record, counts)


def erase_on_request(person, erased_by, in_pco=False):
    """An admin's confirmed request (the page or the CLI): with `in_pco`, PCO is asked first,
    with a short patience (someone is waiting)."""
    if not (in_pco and person.pco_id):
        return erase_person(person, erased_by)
    client = make_client(max_retries=1, timeout=10.0)
    try:
        return erase_person(person, erased_by, client)
    finally:
        client.close()


def delete_in_pco(client, pco_id):
    try:
        client.delete_person(pco_id)
    except PCONotFound:
        return NOT_IN_PCO
    except PCOError as error:
        return f"refused by PCO: {error}"
    return DELETED_IN_PCO
