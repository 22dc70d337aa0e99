"""The finder's stored results (DuplicatePair) and what an admin does with one: merge (the
review queue's merge), different people (remembered), dismiss. Each records who and when."""
from sqlalchemy import delete, func, select

from ...extensions import db
from ...models import DistinctPeople, DuplicatePair, DuplicateStatus, utcnow
from ..directory.common import Page
from ..review.merge_people import MergeRefused, merge_people
from .finder import distinct_pairs, find_pairs, silent

PAGE_SIZE = 25


class PairError(ValueError):
    """An action that can't be taken as asked; the message says why."""


def scan(progress=silent):
    """Find the pairs again: open ones are replaced; decided ones (and pairs an admin said are
    different people) are never listed again. Returns how many are open. `progress`: see
    finder.find_pairs."""
    found = find_pairs(progress=progress)
    progress("Saving the pairs", len(found), len(found))
    decided = set(db.session.execute(select(DuplicatePair.person_id,
                                            DuplicatePair.other_person_id)
                                     .where(DuplicatePair.status != DuplicateStatus.OPEN)))
    skip = decided | distinct_pairs()
    db.session.execute(delete(DuplicatePair).where(DuplicatePair.status == DuplicateStatus.OPEN))
    now = utcnow()
    rows = [{"person_id": f.person_id, "other_person_id": f.other_person_id, "score": f.score,
             "reasons": f.reasons, "status": DuplicateStatus.OPEN, "found_at": now}
            for f in found if (f.person_id, f.other_person_id) not in skip]
    if rows:
        db.session.execute(DuplicatePair.__table__.insert(), rows)
    db.session.commit()
    return len(rows)


def open_pairs(number=1):
    """A Page of the open pairs, strongest first."""
    query = select(DuplicatePair).where(DuplicatePair.status == DuplicateStatus.OPEN)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    number = min(number, max(1, -(-total // PAGE_SIZE)))
    items = db.session.scalars(query.order_by(DuplicatePair.score.desc(), DuplicatePair.id)
                               .offset((number - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    return Page(items=items, number=number, size=PAGE_SIZE, total=total)


def last_scan():
    return db.session.scalar(select(func.max(DuplicatePair.found_at)))


def merge(pair, by, kept_id):
    if kept_id not in (pair.person_id, pair.other_person_id):
        raise PairError("Choose which of the two people to keep.")
    kept, other = ((pair.person, pair.other_person) if kept_id == pair.person_id
                   else (pair.other_person, pair.person))
    try:
        merge_people(kept, other)
    except MergeRefused as err:
        db.session.rollback()
        raise PairError(str(err)) from None
    return close(pair, by, DuplicateStatus.MERGED,
                 f"Merged {other.full_name} into {kept.full_name}.")


def different_people(pair, by):
    """Remembered for the pair: the finder, the pull and the push never ask again."""
    db.session.add(DistinctPeople(person_id=pair.person_id,
                                  other_person_id=pair.other_person_id, decided_by=by))
    return close(pair, by, DuplicateStatus.DIFFERENT,
                 f"{pair.person.full_name} and {pair.other_person.full_name} are marked as "
                 "different people.")


def dismiss(pair, by):
    return close(pair, by, DuplicateStatus.DISMISSED, "Dismissed.")


def close(pair, by, status, message):
    if pair.status != DuplicateStatus.OPEN:
        raise PairError("That pair was already decided.")
    pair.status, pair.resolved_by, pair.resolved_at = status, by, utcnow()
    db.session.commit()
    return message
