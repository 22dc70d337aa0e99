"""What the review page shows: open items grouped by kind, resolved ones under a filter, and
the items of one person or family."""
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import ReviewItem, ReviewKind, ReviewStatus

PAGE_SIZE = 200
# The order of the groups on the page, and what each is called.
KIND_TITLES = {
    ReviewKind.DUPLICATE_HERE: "Possible duplicates here",
    ReviewKind.DUPLICATE_IN_PCO: "Possible duplicates in PCO",
    ReviewKind.CONFLICT: "Changed here and in PCO",
    ReviewKind.PCO_MERGE: "PCO merges to confirm",
    ReviewKind.REJECTED: "Records PCO rejected",
    ReviewKind.MEMBER_NOT_PULLED: "Household members not yet pulled",
    ReviewKind.ARCHIVED_BY_PCO: "Archived because PCO deleted them",
    ReviewKind.PCO_DUPLICATES: "Duplicates PCO holds (merge them in PCO)",
}


def open_count():
    return db.session.scalar(select(func.count()).select_from(ReviewItem)
                             .where(ReviewItem.status == ReviewStatus.OPEN))


def grouped(status=ReviewStatus.OPEN):
    """[(kind, title, items)] for the kinds that have items, in the page's order."""
    query = (select(ReviewItem).where(ReviewItem.status == status)
             .options(selectinload(ReviewItem.person), selectinload(ReviewItem.other_person),
                      selectinload(ReviewItem.family))
             .order_by(ReviewItem.last_seen_at.desc(), ReviewItem.id.desc()).limit(PAGE_SIZE))
    by_kind = {}
    for item in db.session.scalars(query):
        by_kind.setdefault(item.kind, []).append(item)
    return [(kind, title, by_kind[kind]) for kind, title in KIND_TITLES.items()
            if kind in by_kind]


def for_person(person_id):
    return db.session.scalars(select(ReviewItem).where(
        ReviewItem.status == ReviewStatus.OPEN,
        or_(ReviewItem.person_id == person_id, ReviewItem.other_person_id == person_id))
        .order_by(ReviewItem.id)).all()


def for_family(family_id):
    return db.session.scalars(select(ReviewItem).where(
        ReviewItem.status == ReviewStatus.OPEN, ReviewItem.family_id == family_id)
        .order_by(ReviewItem.id)).all()
