"""Filing review items and reading the decisions a human made, for every part of the engine.

A pull, a push or a webhook that cannot decide alone files an item; the same open question is
filed once (its `dedupe_key`), and seeing it again only moves `last_seen_at`. What the admin
then does with it (link, merge, different people, retry, dismiss) is services/review.
"""
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import DistinctPeople, ReviewItem, ReviewKind, ReviewStatus, utcnow
from .erasures import erased_pco_ids

# Kinds that hold a person back from being created in PCO until a human decides.
HOLDING_KINDS = (ReviewKind.DUPLICATE_HERE, ReviewKind.DUPLICATE_IN_PCO)


def file_item(kind, summary, key, run_id=None, **refs):
    """The open item for this question, created or seen again. `refs`: person_id,
    other_person_id, family_id, pco_id, details. None: about an erased person, never asked."""
    if _about_erased(refs):
        return None
    dedupe_key = f"{kind}:{key}"[:200]
    item = open_item(dedupe_key)
    if item is None:
        item = ReviewItem(kind=kind, summary=summary[:4000], dedupe_key=dedupe_key,
                          run_id=run_id, **refs)
        if _inserted(item):
            return item
        item = open_item(dedupe_key)  # another process filed it first
    item.summary, item.last_seen_at = summary[:4000], utcnow()
    item.run_id = run_id or item.run_id
    return item


def _about_erased(refs):
    named = [refs.get("pco_id"), *((refs.get("details") or {}).get("candidates") or ())]
    return bool(erased_pco_ids(named))


def _inserted(item):
    """Insert inside a savepoint, so losing a race to another process costs nothing else."""
    try:
        with db.session.begin_nested():
            db.session.add(item)
    except IntegrityError:
        return False
    return True


def open_item(dedupe_key):
    return db.session.scalar(select(ReviewItem).where(
        ReviewItem.dedupe_key == dedupe_key, ReviewItem.status == ReviewStatus.OPEN))


def pair_key(person_id, other_person_id):
    """The same key whichever of the two is named first."""
    low, high = sorted((person_id, other_person_id))
    return f"{low}-{high}"


def is_held(person_id):
    """A person with an open possible-duplicate item is not created in PCO until it is resolved:
    creating them would make the duplicate real in PCO too."""
    query = select(ReviewItem.id).where(
        ReviewItem.status == ReviewStatus.OPEN, ReviewItem.kind.in_(HOLDING_KINDS),
        or_(ReviewItem.person_id == person_id, ReviewItem.other_person_id == person_id))
    return db.session.scalar(query.limit(1)) is not None


def distinct_from_people(person_id):
    """Ids of the local people an admin said this person is not."""
    rows = db.session.execute(select(DistinctPeople.person_id, DistinctPeople.other_person_id)
                              .where(or_(DistinctPeople.person_id == person_id,
                                         DistinctPeople.other_person_id == person_id)))
    return {other if mine == person_id else mine for mine, other in rows}


def distinct_from_pco(person_id):
    """PCO ids of the PCO people an admin said this local person is not."""
    return set(db.session.scalars(select(DistinctPeople.other_pco_id).where(
        DistinctPeople.person_id == person_id, DistinctPeople.other_pco_id.is_not(None))))


def file_archived_by_pco(log, record_type, row, pco_id):
    """Archived here because PCO deleted it: kept (never deleted), and shown to a human, who
    may restore it here or simply confirm."""
    refs = {"Person": {"person_id": row.id}, "Household": {"family_id": row.id}}.get(
        record_type, {"details": {"record_type": record_type, "local_id": row.id}})
    name = getattr(row, "full_name", None) or getattr(row, "name", None) or f"#{row.id}"
    log.review(ReviewKind.ARCHIVED_BY_PCO,
               f"{record_type} {name} was archived here because PCO deleted it. Everything "
               "local is kept.",
               f"{record_type}:{row.id}", pco_id=pco_id, **refs)


def file_conflict(log, person, conflict):
    """A true conflict: PCO's value was taken, and the local one is kept on the item for a
    one-click restore (rules/three_way.Conflict)."""
    what = conflict.field.replace("_", " ")
    if conflict.kind == "custom_field":  # rules/custom_fields.CONFLICT_KIND: named by its name
        what = f"custom field {conflict.field}"
    elif conflict.kind:
        label = conflict.kind.replace("_", " ").rstrip("s")
        what = f"{label} {conflict.pco_id}" + (f" ({what})" if what else "")
    if conflict.change:
        summary = (f"{person.full_name}: the {what} was {conflict.change}. PCO's side was kept; "
                   "keep yours to restore it.")
    else:
        summary = (f"{person.full_name}: conflict on {what}: here {conflict.local!r}, PCO "
                   f"{conflict.remote!r}. PCO's value was kept; keep yours to send it with the "
                   "next push.")
    details = {"field": conflict.field, "local": conflict.local, "remote": conflict.remote,
               "kind": conflict.kind, "contact_pco_id": conflict.pco_id,
               "change": conflict.change, "values": conflict.values}
    log.review(ReviewKind.CONFLICT, summary,
               f"{person.id}:{conflict.kind}:{conflict.pco_id}:{conflict.field}",
               person_id=person.id, pco_id=person.pco_id, details=details)
