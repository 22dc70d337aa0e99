"""What the handlers share: reading a payload, the people a batch loads once, a per-batch memo,
and a person read from PCO and applied like one record of a pull page."""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ....extensions import db
from ....models import Person
from ....pco import schemas
from ...pull.choices import ensure_known
from ...pull.listing import people_by_pco_id
from ...pull.people import apply_people_page
from ...rules.erasures import all_erased_pco_ids
from ...rules.merge import SKIPPED
from .. import payloads
from ..reads import or_none, read_then_apply
from ..uniform_updates import loaded_in_transaction, locked

_PEOPLE, _MEMO = "pcosync.webhook_people", "pcosync.webhook_memo"
# What the merge reads of a person besides the row and the contact points (which
# handlers/prefetch reads with the chunk's own): custom-field values.
PERSON_LOADS = (selectinload(Person.field_values),)
NOT_LINKED = "not linked here yet: the matcher needs their emails"
TIED = "stamped with the updated_at held but saying something else"
INCOMPLETE = "the payload lacks attributes the rules read"


class Ignored(str):
    """A handler's note for a delivery it did not apply (it ends ignored, with this reason)."""


def payload_data(payload):
    data = payload.get("data") or {}
    if not isinstance(data, dict) or not data.get("id"):
        raise ValueError("payload has no data.id")
    return data


def related_pco_id(data, name):
    rel = (data.get("relationships") or {}).get(name) or {}
    ref = rel.get("data") if isinstance(rel, dict) else None
    return str(ref["id"]) if isinstance(ref, dict) and ref.get("id") else None


def local_person(pco_id):
    if pco_id is None:
        return None
    person = (db.session.info.get(_PEOPLE) or {}).get(pco_id)
    if person is not None and person.pco_id == pco_id:
        return person
    return db.session.scalar(select(Person).where(Person.pco_id == pco_id))


def prefetch_people(payload_list):
    """Load the people these payloads name, with their custom-field values, in a few queries
    for many deliveries instead of several per delivery (kept until forget_people). Returns
    those read."""
    wanted = set()
    for payload in payload_list:
        data = payloads.data_of(payload)
        if data.get("type") == "Person":
            wanted.add(str(data.get("id")))
        wanted.update(filter(None, (related_pco_id(data, "person"),
                                    related_pco_id(data, "primary_contact"),
                                    related_pco_id(data, "customizable"))))  # a field datum
        wanted.update(related_pco_ids(data, "people"))  # a household's members
    known = db.session.info.setdefault(_PEOPLE, {})
    # Locked: their UPDATEs may then be widened to one statement (uniform_updates). Not one
    # loaded earlier in this transaction: the query does not reload it, it may be stale.
    held = loaded_in_transaction(Person)
    found = people_by_pco_id(wanted - set(known), *PERSON_LOADS, for_update=True)
    locked(person for person in found.values() if person.id not in held)
    known.update(found)
    return list(found.values())


def related_pco_ids(data, name):
    """The PCO ids a to-many relationship names (none when it is not a list)."""
    rel = (data.get("relationships") or {}).get(name) or {}
    refs = rel.get("data") if isinstance(rel, dict) else None
    if not isinstance(refs, list):
        return set()
    return {str(ref["id"]) for ref in refs if isinstance(ref, dict) and ref.get("id")}


def remember(key, value):
    """Keep `value` under `key` for the batch's transaction, as memo(key, ...) would have."""
    db.session.info.setdefault(_MEMO, {})[key] = value


def remembered(key):
    return key in (db.session.info.get(_MEMO) or {})


def forget_people():
    """The batch's transaction ended: what was kept for it is read again next time."""
    db.session.info.pop(_PEOPLE, None)
    db.session.info.pop(_MEMO, None)


def memo(key, load):
    """`load()` once per batch transaction (a group, its pending removals: a burst of
    memberships names the same few groups again and again)."""
    kept = db.session.info.setdefault(_MEMO, {})
    if key not in kept:
        kept[key] = load()
    return kept[key]


def erased(pco_id):
    """Whether the person was erased here on request (read once per batch transaction)."""
    return pco_id is not None and str(pco_id) in memo("erased people", all_erased_pco_ids)


def linked(person):
    """Merged here before: the payload can be merged against the state agreed then."""
    return person is not None and person.pco_synced_state is not None


def read_person(client, log, pco_id, reason):
    """The person with contact points and choices, applied like one record of a pull page."""
    return read_then_apply(client, log, f"person {pco_id}: {reason}",
                           lambda c: or_none(c.get_person, pco_id), apply_read_person,
                           key=("Person", pco_id))


def apply_read_person(resource, client, log):
    if resource is None:
        return "person no longer in PCO"
    record = schemas.load_person(resource)
    ensure_known(client, [record], log)
    apply_people_page([record], log)
    return log.outcomes[-1] if log.outcomes else SKIPPED
