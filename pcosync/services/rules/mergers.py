"""PCO merged two people (a PersonMerger: person_to_keep, person_to_remove). The webhook
person_merger.created and Quick Sync's reading of /people/v2/person_mergers both end here, so a
merge seen twice (a webhook and a Quick Sync) is applied once: the second finds nothing to move.
"""
from sqlalchemy import select

from ...extensions import db
from ...models import (
    Family, FamilyMember, GroupMembership, Outcome, Person, ReviewKind, utcnow,
)
from .contact_kinds import CONTACT_KINDS

MERGED = "merged"


def _local_person(pco_id):
    return db.session.scalar(select(Person).where(Person.pco_id == pco_id))


def apply_person_merger(keep_id, remove_id, log):
    """The removed person's local links move to the kept one and the removed one is archived
    (or, when the kept one is not here, the removed one becomes them). `log`: `issue(...)` of a
    Progress or a webhook's DeliveryLog. Returns "merged" or SKIPPED; never commits."""
    keep_id, remove_id = str(keep_id), str(remove_id)
    removed, kept = _local_person(remove_id), _local_person(keep_id)
    if removed is None or keep_id == remove_id:
        return Outcome.SKIPPED
    if kept is None:
        removed.pco_id = keep_id
        note = f"local person {removed.id} now linked to PCO person {keep_id}"
    else:
        move_links(removed, kept)
        removed.pco_id, removed.archived_at = None, utcnow()
        note = f"links of local person {removed.id} moved to {kept.id}; {removed.id} archived"
    log.issue("Person", f"PCO merged person {remove_id} into {keep_id}: {note}. Review the "
              "two local records.", pco_id=keep_id, local_id=removed.id)
    log.review(ReviewKind.PCO_MERGE, f"PCO merged person {remove_id} into {keep_id}: {note}. "
               "Check the kept person's details, then confirm.", f"{remove_id}:{keep_id}",
               person_id=removed.id if kept is None else kept.id,
               other_person_id=None if kept is None else removed.id, pco_id=keep_id)
    return MERGED


def move_links(source, target):
    """Families, groups and the PCO-linked contact points and custom-field values of `source`
    become `target`'s (a link both had is kept once). PCO moved those to the kept person: left
    on the archived record, their PCO ids would collide with the kept person's next pull."""
    with db.session.no_autoflush:  # a flush between remove and append would delete the orphan
        for kind in CONTACT_KINDS:
            moving = [c for c in kind.items(source) if c.pco_id]
            for item in moving:
                kind.items(source).remove(item)
            kind.items(target).extend(moving)
        moving = [value for value in source.field_values if value.pco_field_datum_id]
        for value in moving:  # custom-field values PCO holds (it moved them too)
            source.field_values.remove(value)
        target.field_values.extend(moving)
    for model in (FamilyMember, GroupMembership):
        owner = "family_id" if model is FamilyMember else "group_id"
        taken = set(db.session.scalars(select(getattr(model, owner))
                                       .where(model.person_id == target.id)))
        for link in db.session.scalars(select(model).where(model.person_id == source.id)):
            if getattr(link, owner) in taken:
                db.session.delete(link)
            else:
                link.person_id = target.id
    for family in db.session.scalars(select(Family).where(Family.primary_member_id == source.id)):
        family.primary_member_id = target.id
