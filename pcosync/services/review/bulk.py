"""One action on many review items at once: *different people* and *dismiss* (a merge stays
one pair at a time until a merge can be undone). Each item is decided, and recorded, as if
alone; one refused (already resolved, not a possible duplicate) leaves the others done."""
from sqlalchemy import select

from ...extensions import db
from ...models import ReviewItem, ReviewStatus
from . import actions

# action -> (what the confirmation asks, the action)
BULK_ACTIONS = {
    "different": ("Mark {n} as different people", actions.different_people),
    "dismiss": ("Dismiss {n}", actions.dismiss),
}


def open_items(item_ids):
    """The open items among `item_ids`, in id order."""
    if not item_ids:
        return []
    return db.session.scalars(select(ReviewItem).where(
        ReviewItem.id.in_(item_ids), ReviewItem.status == ReviewStatus.OPEN)
        .order_by(ReviewItem.id)).all()


def question(action, count):
    return BULK_ACTIONS[action][0].format(n=f"{count} item{'s' if count != 1 else ''}") + "?"


def apply(action, items, by):
    """(how many were done, [why each refused one was])."""
    act = BULK_ACTIONS[action][1]
    done, refused = 0, []
    for item in items:
        try:
            act(item, by)
        except actions.ReviewError as err:
            db.session.rollback()
            refused.append(str(err))
        else:
            done += 1
    return done, refused
