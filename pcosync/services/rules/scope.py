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
