"""Sync People within the church's pull scope (rules/scope.py): which PCO listing is read,
and who is marked in or out of the scope after it; and the households of a Sync Families page
that follow the people inside it.

Leaving the scope deletes, archives and changes nothing: the person keeps their PCO id and
memberships and is only marked "out of sync scope since"; coming back (in a later pull, or a
`list_result.created`) clears the mark and syncing resumes by the PCO id. A scoped pull never
archives anyone: missing from a list is not gone from PCO.
"""
from sqlalchemy import select, update

from ...extensions import db
from ...models import Person, utcnow
from ...models.queries import one_of
from ..rules.merge import SKIPPED
from ..rules.scope import (
    current_scope, household_in_scope, people_inside, pull_filters, pull_narrowed, why_not_pulled,
)
from .listing import people_by_pco_id

CHUNK = 500


def scoped():
    return pull_narrowed()


def people_pages(client, households=False):
    """The pages of PCO people in the scope: all of PCO, PCO's listing filtered, or the
    chosen lists' people (filtered alike). `households`: all of PCO's people are read, each
    with their households (pull/staged_households.py)."""
    if households:
        return client.iter_people(read_ahead=True, households=True)
    scope = current_scope()
    if scope is None or scope.pulls_everything:
        return client.iter_people(read_ahead=True)
    where = pull_filters(scope)
    if not scope.pull_lists:
        return client.iter_people(read_ahead=True, where=where)
    return _each_list(client, scope.pull_lists, where)


def _each_list(client, lists, where):
    for chosen in lists:
        yield from client.iter_list_people(chosen["pco_id"], where)


def settle_scope(seen, whole_scope_read=True):
    """After a pull: those seen are in scope; with a scope, the linked people not seen are
    marked out of it (only when the whole scope was read)."""
    bring_back(seen)
    if whole_scope_read and scoped():
        linked = select(Person.pco_id).where(Person.pco_id.is_not(None),
                                             Person.archived_at.is_(None),
                                             Person.out_of_scope_since.is_(None))
        leaving = [pco_id for pco_id in db.session.scalars(linked) if pco_id not in seen]
        mark_out(leaving)
    db.session.commit()


def bring_back(pco_ids):
    """Those of `pco_ids` marked out of the scope are in it again. For more than one
    statement's worth (a whole listing), those marked out (nearly always nobody) are read first,
    in one statement: looking the 10,000 people of a listing up 500 at a time took a tenth of
    an unchanged pull on PostgreSQL."""
    pco_ids = list(pco_ids)
    if len(pco_ids) > CHUNK:
        listed = set(pco_ids)
        pco_ids = [pco_id for pco_id in db.session.scalars(select(Person.pco_id).where(
            Person.pco_id.is_not(None), Person.out_of_scope_since.is_not(None)))
            if pco_id in listed]
    for chunk in _chunks(pco_ids):
        db.session.execute(update(Person).where(one_of(Person.pco_id, chunk),
                                                Person.out_of_scope_since.is_not(None))
                           .values(out_of_scope_since=None))


def mark_out(pco_ids):
    now = utcnow()
    for chunk in _chunks(list(pco_ids)):
        db.session.execute(update(Person).where(one_of(Person.pco_id, chunk),
                                                Person.out_of_scope_since.is_(None))
                           .values(out_of_scope_since=now))


def _chunks(items):
    return (items[i:i + CHUNK] for i in range(0, len(items), CHUNK))


def keep_in_scope(resources, progress):
    """(the PCO people resources inside the pull scope, the PCO ids of those outside it).
    Those outside are Skipped, never applied or archived; a linked person a filter now leaves
    out (a campus or membership changed in PCO) is marked out of the scope."""
    scope = current_scope()
    if scope is None or scope.pulls_everything or not resources:
        return resources, []
    people = people_by_pco_id([str(resource.get("id")) for resource in resources])
    kept, outside = [], []
    for resource in resources:
        pco_id = str(resource.get("id"))
        if why_not_pulled(resource, people.get(pco_id), scope) is None:
            kept.append(resource)
        else:
            outside.append(pco_id)
    mark_out([pco_id for pco_id in outside if pco_id in people])
    progress.count(SKIPPED, len(outside))
    return kept, outside


def households_in_scope(records, progress):
    """The page's households as the pull scope takes them (rules/scope.household_in_scope);
    those none of whose members is inside it are Skipped: not created, nor changed."""
    if not records:
        return records
    inside = people_inside(i for record in records for i in record["member_pco_ids"])
    taken = [household_in_scope(record, inside) for record in records]
    progress.count(SKIPPED, taken.count(None))
    return [record for record in taken if record is not None]
