"""Memberships removed here that PCO still holds, until the next push removes them in PCO.

Without this a removal was undone by the next pull (PCO decides the memberships of linked
people) and never reached PCO. Removing someone here records the pair (group or household,
person); pulls and webhooks leave that pair out; the push deletes it in PCO and forgets it;
adding the person back here forgets it too.
"""
from sqlalchemy import and_, delete, or_, select

from ...extensions import db
from ...models import PendingRemoval, RemovalKind

GROUP, HOUSEHOLD = RemovalKind.GROUP, RemovalKind.HOUSEHOLD


def remember(kind, parent_pco_id, person_pco_id, membership_pco_id=None):
    """Record a removal PCO must hear of; False when PCO holds nothing to remove."""
    if not (parent_pco_id and person_pco_id):
        return False
    held = db.session.scalar(select(PendingRemoval).where(
        PendingRemoval.kind == kind, PendingRemoval.parent_pco_id == parent_pco_id,
        PendingRemoval.person_pco_id == person_pco_id))
    if held is None:
        db.session.add(PendingRemoval(kind=kind, parent_pco_id=parent_pco_id,
                                      person_pco_id=person_pco_id,
                                      membership_pco_id=membership_pco_id))
    return True


def forget(kind, parent_pco_id, person_pco_id):
    """The person was added back here: PCO's membership stays."""
    if parent_pco_id and person_pco_id:
        db.session.execute(delete(PendingRemoval).where(
            PendingRemoval.kind == kind, PendingRemoval.parent_pco_id == parent_pco_id,
            PendingRemoval.person_pco_id == person_pco_id))


def removed_people(kind, parent_pco_ids):
    """{(parent PCO id, person PCO id)} pending removal, for many groups or households at once."""
    wanted = {i for i in parent_pco_ids if i}
    if not wanted:
        return set()
    query = select(PendingRemoval.parent_pco_id, PendingRemoval.person_pco_id).where(
        PendingRemoval.kind == kind, PendingRemoval.parent_pco_id.in_(wanted))
    return {tuple(row) for row in db.session.execute(query)}


def removed_by_kind(wanted):
    """{kind: {parent PCO id: PCO ids of the people pending removal}} for `wanted` ({kind:
    parent PCO ids}), every kind in one query (a webhook chunk names groups and households)."""
    wanted = {kind: {i for i in ids if i} for kind, ids in wanted.items()}
    found = {kind: {i: set() for i in ids} for kind, ids in wanted.items()}
    clauses = [and_(PendingRemoval.kind == kind, PendingRemoval.parent_pco_id.in_(ids))
               for kind, ids in wanted.items() if ids]
    if clauses:
        query = select(PendingRemoval.kind, PendingRemoval.parent_pco_id,
                       PendingRemoval.person_pco_id).where(or_(*clauses))
        for kind, parent, person in db.session.execute(query):
            found[kind][parent].add(person)
    return found


def pending(kind, parent_pco_id=None):
    query = select(PendingRemoval).where(PendingRemoval.kind == kind)
    if parent_pco_id is not None:
        query = query.where(PendingRemoval.parent_pco_id == parent_pco_id)
    return db.session.scalars(query.order_by(PendingRemoval.id)).all()


def done(removal):
    """PCO no longer holds it."""
    db.session.delete(removal)
    db.session.commit()
