"""What an admin does with a review item. Each action records who and when, and says what
happened in plain words; a refused action raises ReviewError with the reason.

Two admins (or two tabs) may act on one item at once. Every action claims the item in the same
transaction as its effect (see `resolving`): the one that claims it acts, the other is told the
item was already resolved and changes nothing."""
from contextlib import contextmanager

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import DistinctPeople, Person, ReviewItem, ReviewKind, ReviewStatus, utcnow
from ..runs import kinds
from .conflicts import restore_local
from .merge_people import MergeRefused, merge_people

ALREADY_RESOLVED = "That item was already resolved."


class ReviewError(ValueError):
    """An action that can't be taken as asked; the message says why."""


@contextmanager
def resolving(item, by, status=ReviewStatus.RESOLVED):
    """Claim the item, do the action's effect, commit both at once; any error rolls both back.
    The body sets `item.resolution`."""
    claim(item, by, status)
    try:
        yield item
    except BaseException:
        db.session.rollback()
        raise
    db.session.commit()


def claim(item, by, status=ReviewStatus.RESOLVED):
    """Close the item, in the open transaction, if it is still open. The people it names are
    locked first (PostgreSQL; SQLite lets one writer in at a time), in id order, so that actions
    on two items about one person wait for each other instead of deadlocking."""
    person_ids = sorted({item.person_id, item.other_person_id} - {None})
    if person_ids:
        db.session.scalars(select(Person).where(Person.id.in_(person_ids)).order_by(Person.id)
                           .with_for_update().execution_options(populate_existing=True)).all()
    now = utcnow()
    claimed = db.session.execute(
        update(ReviewItem).where(ReviewItem.id == item.id, ReviewItem.status == ReviewStatus.OPEN)
        .values(status=status, resolved_by=by, resolved_at=now)
        .execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        db.session.rollback()
        raise ReviewError(ALREADY_RESOLVED)
    item.status, item.resolved_by, item.resolved_at = status, by, now


def reopen(item, resolution):
    """Undo a claim already committed whose effect then failed (a retry the queue refused)."""
    db.session.rollback()
    try:
        db.session.execute(
            update(ReviewItem).where(ReviewItem.id == item.id,
                                     ReviewItem.status == ReviewStatus.RESOLVED,
                                     ReviewItem.resolution == resolution)
            .values(status=ReviewStatus.OPEN, resolved_by=None, resolved_at=None, resolution=None)
            .execution_options(synchronize_session=False))
        db.session.commit()
    except IntegrityError:  # the same question was filed again meanwhile: that one stays open
        db.session.rollback()


def close(item, by, resolution, status=ReviewStatus.RESOLVED):
    with resolving(item, by, status):
        item.resolution = resolution[:2000]
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
    with resolving(item, by):
        if db.session.scalar(select(Person.id).where(Person.pco_id == pco_id)) is not None:
            raise ReviewError(f"PCO person {pco_id} is already linked to someone here.")
        person = item.person
        person.pco_id, person.pco_synced_state, person.pco_synced_hash = pco_id, None, None
        item.resolution = (f"Linked {person.full_name} to PCO person {pco_id}; the next push "
                           "updates that person in PCO.")
    return item.resolution


def merge(item, by, kept_id):
    """Merge the item's two local people, keeping `kept_id`."""
    ids = {item.person_id, item.other_person_id}
    if item.kind != ReviewKind.DUPLICATE_HERE or kept_id not in ids or None in ids:
        raise ReviewError("Choose which of the two people to keep.")
    with resolving(item, by):
        people = {item.person_id: item.person, item.other_person_id: item.other_person}
        kept = people.pop(kept_id)
        other = people.popitem()[1]
        try:
            merge_people(kept, other)
        except MergeRefused as err:
            raise ReviewError(str(err)) from None
        close_related(other, by, f"Merged into {kept.full_name}.", but=item)
        item.resolution = (f"Merged {other.full_name} into {kept.full_name}; the merged record "
                           f"is archived and points to {kept.full_name}.")
    return item.resolution


def keep_local(item, by):
    """A conflict: put the local value back; the next push sends it to PCO."""
    if item.kind != ReviewKind.CONFLICT or item.person_id is None:
        raise ReviewError("Only a conflict has a local value to keep.")
    with resolving(item, by):
        restore_local(item.person, item.details or {})
        item.resolution = "Kept the value from here; the next push sends it to PCO."
    return item.resolution


def keep_pco(item, by):
    if item.kind != ReviewKind.CONFLICT:
        raise ReviewError("Only a conflict has a PCO value to keep.")
    return close(item, by, "Kept PCO's value.")


def different_people(item, by):
    """Remembered for the pair: never asked again, and the push may create the person."""
    if item.kind == ReviewKind.DUPLICATE_HERE:
        pairs = [DistinctPeople.local_pair(item.person_id, item.other_person_id, by)]
    elif item.kind == ReviewKind.DUPLICATE_IN_PCO:
        pairs = [DistinctPeople.pco_pair(item.person_id, pco_id, by)
                 for pco_id in dict.fromkeys((item.details or {}).get("candidates", []))]
    else:
        raise ReviewError("Only a possible duplicate can be marked as different people.")
    with resolving(item, by):
        for pair in pairs:
            remember(pair)
        item.resolution = "Marked as different people; this will not be asked again."
    return item.resolution


def remember(pair):
    """Add the pair unless it is known: another item about the same pair may have said so."""
    if db.session.scalar(pair.existing()) is not None:
        return
    try:
        with db.session.begin_nested():
            db.session.add(pair)
    except IntegrityError:
        pass  # recorded by a concurrent action: the unique index kept it once


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


def claim_for_retry(item, by):
    """Claim the item for a retry, uncommitted: starting the run commits both together (the
    blueprint starts it, as services never enqueue). Returns the run kind and the resolution."""
    run_kind = retry_run(item)
    if run_kind is None:
        raise ReviewError("There is nothing to retry for that item.")
    claim(item, by)
    item.resolution = (f"{run_kind} started to retry it; a new item appears if it fails "
                       "again.")
    db.session.flush()
    return run_kind, item.resolution


def close_related(person, by, resolution, but):
    """A person merged away leaves nothing open behind them (but the item being acted on). A
    conditional update: an item another admin resolves meanwhile keeps their resolution."""
    db.session.execute(
        update(ReviewItem).where(
            ReviewItem.status == ReviewStatus.OPEN, ReviewItem.id != but.id,
            (ReviewItem.person_id == person.id) | (ReviewItem.other_person_id == person.id))
        .values(status=ReviewStatus.RESOLVED, resolved_by=by, resolved_at=utcnow(),
                resolution=resolution)
        .execution_options(synchronize_session=False))
