"""Choosing the sync scope (Sync -> What syncs, `flask pco scope set`): what there is to choose
from, how many people a change would take out of the scope, and saving it.

Leaving the scope changes nothing on either side (rules/scope.py): the count is there so the
admin knows how many people the next sync will stop updating before they save.
"""
from dataclasses import dataclass, field

from sqlalchemy import func, select

from ...extensions import db
from ...models import Campus, Person, SyncScope
from ..rules.scope import SCOPE_ROW_ID, current_scope, sendable


class ScopeRefused(ValueError):
    """A choice that names a list, campus or value that does not exist."""


@dataclass
class ScopeChoice:
    pull_lists: list = field(default_factory=list)  # [{"pco_id", "name"}]
    pull_campus: Campus | None = None
    pull_membership: str | None = None
    pull_adults_only: bool = False
    push_membership: str | None = None
    push_campus: Campus | None = None
    push_adults_only: bool = False


def pco_lists(client):
    """PCO's lists as [{"pco_id", "name", "total_people"}], by name."""
    return [{"pco_id": str(record["id"]),
             "name": (record.get("attributes") or {}).get("name") or f"List {record['id']}",
             "total_people": (record.get("attributes") or {}).get("total_people")}
            for page in client.iter_lists() for record in page.records]


def campuses():
    return list(db.session.scalars(select(Campus).order_by(Campus.name)))


def memberships():
    """The membership values people here hold (PCO's own vocabulary, as pulled)."""
    query = (select(Person.membership).where(Person.membership.is_not(None),
                                             Person.membership != "")
             .distinct().order_by(Person.membership))
    return list(db.session.scalars(query))


def choose_lists(wanted, available):
    """`wanted`: PCO ids or names of lists; `available`: pco_lists(). Raises ScopeRefused."""
    chosen = []
    for item in wanted:
        found = next((one for one in available
                      if item in (one["pco_id"], one["name"])), None)
        if found is None:
            raise ScopeRefused(f"PCO has no list called “{item[:80]}”.")
        if found not in chosen:
            chosen.append({"pco_id": found["pco_id"], "name": found["name"]})
    return chosen


def find_campus(value, in_pco=False):
    """A campus here by id or name; None for an empty value. `in_pco`: it must be linked to
    PCO (PCO's listing filters by its PCO id). Raises ScopeRefused."""
    if not value:
        return None
    for campus in campuses():
        if str(value) in (str(campus.id), campus.name):
            if in_pco and not campus.pco_campus_id:
                raise ScopeRefused(f"The campus “{campus.name}” is not in PCO: pull Campuses "
                                   "first, or choose another.")
            return campus
    raise ScopeRefused(f"There is no campus called “{str(value)[:80]}”.")


def choice_from(form, available_lists):
    """A ScopeChoice from the What syncs form (a MultiDict). Raises ScopeRefused."""
    def text(name):
        return (form.get(name) or "").strip()[:120] or None

    wanted = [value for value in form.getlist("list") if value]
    return ScopeChoice(
        pull_lists=choose_lists(wanted, available_lists) if wanted else [],
        pull_campus=find_campus(text("pull_campus"), in_pco=True),
        pull_membership=text("pull_membership"),
        pull_adults_only=form.get("pull_adults_only") == "1",
        push_membership=text("push_membership"),
        push_campus=find_campus(text("push_campus")),
        push_adults_only=form.get("push_adults_only") == "1")


def _in_pull_rules(choice):
    """The pull filters as a condition on linked people (the lists are checked apart)."""
    rules = []
    if choice.pull_campus is not None:
        rules.append(Person.campus_id == choice.pull_campus.id)
    if choice.pull_membership:
        rules.append(Person.membership == choice.pull_membership)
    if choice.pull_adults_only:
        rules.append(Person.child.is_(False))
    return rules


def leaving_count(choice, list_people=None):
    """How many people now synced from PCO the new choice takes out of the scope.
    `list_people`: the PCO ids in the chosen lists (None when no list is chosen)."""
    synced = select(Person.pco_id, Person.id).where(
        Person.pco_id.is_not(None), Person.archived_at.is_(None),
        Person.out_of_scope_since.is_(None))
    kept = set(db.session.scalars(synced.with_only_columns(Person.id)
                                  .where(*_in_pull_rules(choice))))
    return sum(1 for pco_id, person_id in db.session.execute(synced)
               if person_id not in kept
               or (list_people is not None and pco_id not in list_people))


def list_people_ids(client, lists):
    """The PCO ids of everyone in the chosen lists (a page of 100 per request)."""
    return {str(record["id"]) for chosen in lists
            for page in client.iter_list_people(chosen["pco_id"])
            for record in page.records}


def headcount():
    """{"in_scope": people synced from PCO inside the scope, "out_of_scope": those marked out of
    it, "sendable": active people here a push may write}."""
    def count(*where):
        return db.session.scalar(select(func.count()).select_from(Person).where(
            Person.archived_at.is_(None), *where))
    return {"in_scope": count(Person.pco_id.is_not(None), Person.out_of_scope_since.is_(None)),
            "out_of_scope": count(Person.out_of_scope_since.is_not(None)),
            "sendable": count(Person.status != "inactive", sendable()),
            "do_not_send": count(Person.do_not_send_at.is_not(None))}


def save(choice, who):
    scope = current_scope() or SyncScope(id=SCOPE_ROW_ID)
    scope.pull_lists = list(choice.pull_lists)
    scope.pull_campus_pco_id = choice.pull_campus.pco_campus_id if choice.pull_campus else None
    scope.pull_campus_name = choice.pull_campus.name if choice.pull_campus else None
    scope.pull_membership = choice.pull_membership or None
    scope.pull_adults_only = bool(choice.pull_adults_only)
    scope.push_membership = choice.push_membership or None
    scope.push_campus_id = choice.push_campus.id if choice.push_campus else None
    scope.push_adults_only = bool(choice.push_adults_only)
    scope.updated_by = who
    db.session.add(scope)
    db.session.commit()
    return scope


def current_choice():
    """The saved scope as a ScopeChoice (for the form and the CLI)."""
    scope = current_scope()
    if scope is None:
        return ScopeChoice()
    pull_campus = (db.session.scalar(select(Campus).where(
        Campus.pco_campus_id == scope.pull_campus_pco_id)) if scope.pull_campus_pco_id else None)
    return ScopeChoice(list(scope.pull_lists or []), pull_campus, scope.pull_membership,
                       scope.pull_adults_only, scope.push_membership, scope.push_campus,
                       scope.push_adults_only)
