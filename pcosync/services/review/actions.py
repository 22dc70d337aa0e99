"""What an admin does with a review item. Each action records who and when, and says what
happened in plain words; a refused action raises ReviewError with the reason."""
from sqlalchemy import select

from ...extensions import db
from ...models import DistinctPeople, Person, ReviewItem, ReviewKind, ReviewStatus, utcnow
from ..runs import kinds
from .conflicts import restore_local
from .merge_people import MergeRefused, merge_people


class ReviewError(ValueError):
    """An action that can't be taken as asked; the message says why."""


def close(item, by, resolution, status=ReviewStatus.RESOLVED):
    if not item.is_open:
        raise ReviewError("That item was already resolved.")
    item.status, item.resolved_by, item.resolved_at = status, by, utcnow()
    item.resolution = resolution[:2000]
    db.session.commit()
    return resolution


def dismiss(item, by):
    return close(item, by, "Dismissed.", ReviewStatus.DISMISSED)


def confirm(item, by):
    """For what was already done (a PCO merge, an archive): the admin has looked at it."""
    return close(item, by, "Confirmed.")


def link(item, by, pco_id):
    """This local person is that PCO person: the next push adopts PCO's record and PATCHes
    what differs here (no new person is created)."""
    candidates = (item.details or {}).get("candidates", [])
    if item.kind != ReviewKind.DUPLICATE_IN_PCO or pco_id not in candidates:
        raise ReviewError("Choose one of the PCO people this item names.")
    if db.session.scalar(select(Person.id).where(Person.pco_id == pco_id)) is not None:
        raise ReviewError(f"PCO person {pco_id} is already linked to someone here.")
    person = item.person
    person.pco_id, person.pco_synced_state, person.pco_synced_hash = pco_id, None, None
    return close(item, by, f"Linked {person.full_name} to PCO person {pco_id}; the next push "
                           "updates that person in PCO.")


def merge(item, by, kept_id):
    """Merge the item's two local people, keeping `kept_id`."""
    pair = {item.person_id: item.person, item.other_person_id: item.other_person}
    if item.kind != ReviewKind.DUPLICATE_HERE or kept_id not in pair or None in pair.values():
        raise ReviewError("Choose which of the two people to keep.")
    kept = pair.pop(kept_id)
    other = pair.popitem()[1]
    try:
        merge_people(kept, other)
    except MergeRefused as err:
        db.session.rollback()
        raise ReviewError(str(err)) from None
    close_related(other, by, f"Merged into {kept.full_name} (local id {kept.id}).", but=item)
    return close(item, by, f"Merged local person {other.id} into {kept.full_name} (local id "
                           f"{kept.id}); {other.id} is archived and points to {kept.id}.")


def keep_local(item, by):
    """A conflict: put the local value back; the next push sends it to PCO."""
    if item.kind != ReviewKind.CONFLICT or item.person is None:
        raise ReviewError("Only a conflict has a local value to keep.")
    restore_local(item.person, item.details or {})
    return close(item, by, "Kept the value from here; the next push sends it to PCO.")


def keep_pco(item, by):
    if item.kind != ReviewKind.CONFLICT:
        raise ReviewError("Only a conflict has a PCO value to keep.")
    return close(item, by, "Kept PCO's value.")


def different_people(item, by):
    """Remembered for the pair: never asked again, and the push may create the person."""
    if item.kind == ReviewKind.DUPLICATE_HERE:
        db.session.add(DistinctPeople(person_id=item.person_id,
                                      other_person_id=item.other_person_id, decided_by=by))
    elif item.kind == ReviewKind.DUPLICATE_IN_PCO:
        for pco_id in (item.details or {}).get("candidates", []):
            db.session.add(DistinctPeople(person_id=item.person_id, other_pco_id=pco_id,
                                          decided_by=by))
    else:
        raise ReviewError("Only a possible duplicate can be marked as different people.")
    return close(item, by, "Marked as different people; this will not be asked again.")


def retry_run(item):
    """The run kind that retries this item (the blueprint starts it), or None when retrying
    means nothing for it. A record PCO refused is retried by the kind declared for its record
    type (runs/kinds.py)."""
    if item.kind == ReviewKind.MEMBER_NOT_PULLED:
        return kinds.FULL_SYNC  # People first, then Families
    if item.kind != ReviewKind.REJECTED:
        return None
    return kinds.retry_for(rejected_record_type(item))


def rejected_record_type(item):
    if item.person_id:
        return "Person"
    if item.family_id:
        return "Family"
    return (item.details or {}).get("record_type")


def retried(item, by, run_kind):
    return close(item, by, f"{run_kind} started to retry it; a new item appears if it fails "
                           "again.")


def close_related(person, by, resolution, but):
    """A person merged away leaves nothing open behind them (but the item being acted on)."""
    items = db.session.scalars(select(ReviewItem).where(
        ReviewItem.status == ReviewStatus.OPEN, ReviewItem.id != but.id,
        (ReviewItem.person_id == person.id) | (ReviewItem.other_person_id == person.id)))
    for other_item in items:
        other_item.status, other_item.resolved_by = ReviewStatus.RESOLVED, by
        other_item.resolved_at, other_item.resolution = utcnow(), resolution
