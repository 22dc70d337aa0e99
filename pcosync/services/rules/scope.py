"""Who may be written to PCO: the one check every path that writes to PCO asks (push people,
households and their members, group memberships, custom-field values, and whatever a review
action or a revert starts, since those run through the same pushes).

A person is never sent while marked "do not send to PCO", nor while outside the pull scope
(leaving it changes nothing on either side: their households and group memberships are held
with them, held_pco_ids); with push rules (membership,
campus, adults only) only those who match them are sent. Nobody is removed from PCO for
leaving the push scope: they are simply no longer written.
"""
from sqlalchemy import and_, event, select, true
from sqlalchemy.orm import Session

from ...extensions import db
from ...models import Person, SyncScope

SCOPE_ROW_ID = 1
_NO_SCOPE = "pcosync.no_scope_row"


def current_scope():
    """The church's scope row, or None (everything syncs). One row, always id 1; inside a
    transaction it is read once: the identity map keeps the row, and its absence is kept
    here (most churches have none, and a webhook batch asks for every delivery)."""
    if db.session.info.get(_NO_SCOPE):
        return None
    scope = db.session.get(SyncScope, SCOPE_ROW_ID)
    if scope is None:
        db.session.info[_NO_SCOPE] = True
    return scope


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_no_scope(session):
    """Another process may have chosen a scope meanwhile."""
    session.info.pop(_NO_SCOPE, None)


@event.listens_for(Session, "transient_to_pending")
def _scope_added(session, instance):
    if isinstance(instance, SyncScope):
        session.info.pop(_NO_SCOPE, None)


def why_not_sent(person, scope=None):
    """Why `person` must not be written to PCO, in plain words; None when they may be."""
    if person.do_not_send_at is not None:
        return f"{person.full_name} is marked do not send to PCO"
    if person.out_of_scope_since is not None:  # left the pull scope: changed on neither side
        return f"{person.full_name} is outside the sync scope"
    scope = current_scope() if scope is None else scope
    if scope is None:
        return None
    if scope.push_membership and person.membership != scope.push_membership:
        return f"{person.full_name} is not a {scope.push_membership} (push scope)"
    if scope.push_campus_id and person.campus_id != scope.push_campus_id:
        return f"{person.full_name} is not at the push scope's campus"
    if scope.push_adults_only and person.child:
        return f"{person.full_name} is a child (push scope: adults only)"
    return None


def may_send(person, scope=None):
    return why_not_sent(person, scope) is None


def sendable(scope=None):
    """The same rule as a condition on Person, for the queries that walk people to push."""
    scope = current_scope() if scope is None else scope
    rules = [Person.do_not_send_at.is_(None), Person.out_of_scope_since.is_(None)]
    if scope is not None:
        if scope.push_membership:
            rules.append(Person.membership == scope.push_membership)
        if scope.push_campus_id:
            rules.append(Person.campus_id == scope.push_campus_id)
        if scope.push_adults_only:
            rules.append(Person.child.is_(False))
    return and_(true(), *rules)


def held_pco_ids(scope=None):
    """PCO ids of linked people who must not be written (for writes named by PCO id only,
    such as a pending removal from a group or a household)."""
    allowed = select(Person.id).where(sendable(scope))
    query = select(Person.pco_id).where(Person.pco_id.is_not(None), Person.id.not_in(allowed))
    return set(db.session.scalars(query))


def pull_filters(scope):
    """The `where[...]` filters PCO's people listing takes for the scope (never status: an
    inactivation must arrive)."""
    if scope is None:
        return {}
    filters = {}
    if scope.pull_campus_pco_id:
        filters["where[primary_campus_id]"] = scope.pull_campus_pco_id
    if scope.pull_membership:
        filters["where[membership]"] = scope.pull_membership
    if scope.pull_adults_only:
        filters["where[child]"] = "false"
    return filters


def why_not_pulled(resource, person, scope=None):
    """Why a PCO person (a JSON:API resource: a webhook's payload data, a listing's record) is
    not applied here, in plain words; None when they are in the pull scope. `person`: the
    local person linked to them, or None. Leaving the scope changes nothing on either side."""
    scope = current_scope() if scope is None else scope
    if scope is None or scope.pulls_everything:
        return None
    pco_id = resource.get("id")
    if person is not None and person.out_of_scope_since is not None:
        return (f"PCO person {pco_id} is outside the sync scope since "
                f"{person.out_of_scope_since:%Y-%m-%d}")
    if person is None and scope.pull_lists:
        return f"PCO person {pco_id} is in none of the chosen PCO lists"
    return _filtered_out(resource, scope)


def _filtered_out(resource, scope):
    attributes = resource.get("attributes") or {}
    campus = ((resource.get("relationships") or {}).get("primary_campus") or {}).get("data")
    pco_id = resource.get("id")
    if scope.pull_membership and attributes.get("membership") != scope.pull_membership:
        return f"PCO person {pco_id} is not a {scope.pull_membership} (pull scope)"
    if scope.pull_adults_only and attributes.get("child"):
        return f"PCO person {pco_id} is a child (pull scope: adults only)"
    if scope.pull_campus_pco_id and (campus or {}).get("id") != scope.pull_campus_pco_id:
        return f"PCO person {pco_id} is not at campus {scope.pull_campus_name} (pull scope)"
    return None


# What follows people on the pull side (contact points, households, group memberships) under a
# pull scope narrower than all of PCO: only what belongs to people here inside it. A person not
# here is outside the scope or not pulled yet (the next Sync People decides): nothing of theirs
# is created or removed, and a household or group none of whose people is inside the scope is
# not created (one held already is left as it is, never archived for it).

def pull_narrowed(scope=None):
    """Whether the pull scope is narrower than all of PCO."""
    scope = current_scope() if scope is None else scope
    return scope is not None and not scope.pulls_everything


def inside_pull_scope(person):
    """Whether what belongs to this local person (None: not here) is pulled under a narrowed
    pull scope: they are here and not marked out of it."""
    return person is not None and person.out_of_scope_since is None


def why_not_followed(pco_id, person):
    """Under a narrowed pull scope, why a record that belongs to a PCO person (a contact point,
    a group membership) is not applied here, in plain words; None when it is. `person`: the
    local one, or None."""
    if inside_pull_scope(person):
        return None
    if person is None:
        return f"PCO person {pco_id} is not here: outside the sync scope, or not pulled yet"
    return (f"PCO person {pco_id} is outside the sync scope since "
            f"{person.out_of_scope_since:%Y-%m-%d}")


def people_inside(pco_ids):
    """{PCO id: whether inside the pull scope} of the people here among `pco_ids` (one query;
    inside_pull_scope as a condition)."""
    wanted = {i for i in pco_ids if i}
    if not wanted:
        return {}
    query = select(Person.pco_id, Person.out_of_scope_since).where(Person.pco_id.in_(wanted))
    return {row.pco_id: row.out_of_scope_since is None for row in db.session.execute(query)}


def any_inside(pco_ids, inside):
    """Whether a household or group with these people is pulled (`inside`: people_inside)."""
    return any(inside.get(pco_id) for pco_id in pco_ids)


def household_in_scope(record, inside):
    """A household's record as a narrowed pull scope takes it, or None when none of its
    members is inside the scope. Its members who are not here are left out of it: they are
    outside the scope, not missing (no "run Sync People first" for them); those here outside
    the scope stay as PCO has them (leaving the scope removes no one from a family)."""
    if not any_inside(record["member_pco_ids"], inside):
        return None
    return {**record, "member_pco_ids": [i for i in record["member_pco_ids"] if i in inside]}
