"""Apply PCO groups and their memberships, under the department "PCO Groups".

Sync Groups reads a page of groups and every membership of those groups from PCO, then applies
them together: the page's groups (with their memberships), the people they name and the
pending removals are each read with one query, and the new rows go in at the page's commit, a
statement per table, so a page costs the same few statements whether its groups hold ten
memberships or ten thousand.
"""
from contextlib import closing
from functools import partial

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import PCO_GROUPS_DEPARTMENT, Department, Group, GroupMembership, GroupRole
from ...pco import schemas
from ..rules.merge import CREATED, SKIPPED, UPDATED, is_stale
from ..rules.pending_removals import GROUP, removed_people
from ..rules.scope import any_inside, inside_pull_scope, pull_narrowed
from .choices import pull_group_tags, tag_group_ids
from .listing import load_records, people_by_pco_id, pull_listing, still_in_pco

PEOPLE_SLICE = 5000  # PCO ids per query for the people a page's memberships name

# What a pull writes on a group: all of it pull only (PCO's API does not let apps change
# groups). `tags` (names) only when the record carries them (see with_tag_names).
GROUP_FIELDS = ("name", "description", "archived_at", "group_type", "schedule", "location_name",
                "contact_email", "tags")


def pco_groups_department():
    department = db.session.scalar(
        select(Department).where(Department.name == PCO_GROUPS_DEPARTMENT))
    if department is None:
        department = Department(name=PCO_GROUPS_DEPARTMENT)
        db.session.add(department)
        db.session.flush()
    return department


def apply_group(record):
    """Create or update one group. Returns (outcome, group)."""
    group = db.session.scalar(select(Group).where(Group.pco_group_id == record["pco_group_id"]))
    outcome, group = apply_found_group(record, group, pco_groups_department)
    if outcome == CREATED:
        db.session.flush()  # later queries of this transaction (a webhook batch's) find it
    return outcome, group


def apply_found_group(record, group, department):
    """Create or update one group; `group`: the one linked to the record, or None;
    `department()`: where a new group goes. Returns (outcome, group)."""
    if group is None:
        group = Group(pco_group_id=record["pco_group_id"], department=department(),
                      name=record["name"] or "(unnamed group)")
        db.session.add(group)
        _set_fields(group, record)
        return CREATED, group
    if is_stale(group.pco_updated_at, record["pco_updated_at"]):
        return SKIPPED, group
    changed = _set_fields(group, record)
    group.pco_updated_at = record["pco_updated_at"] or group.pco_updated_at
    return (UPDATED if changed else SKIPPED), group


def _set_fields(group, record):
    changed = False
    for name in GROUP_FIELDS:
        if name not in record:
            continue
        value = record[name]
        if name == "name":
            value = value or group.name
        if getattr(group, name) != value:
            setattr(group, name, value)
            changed = True
    if group.pco_updated_at is None:
        group.pco_updated_at = record["pco_updated_at"]
    return changed


def groups_by_pco_id(pco_group_ids):
    """Local groups by PCO id, with their memberships, in two queries."""
    query = (select(Group).where(Group.pco_group_id.in_(set(pco_group_ids)))
             .options(selectinload(Group.memberships)))
    return {group.pco_group_id: group for group in db.session.scalars(query)}


def list_memberships(client, group_pco_ids, progress):
    """{group PCO id: every membership PCO lists for it, loaded} (a malformed one becomes an
    issue), the groups' pages read together, several requests in flight."""
    listed = {group_id: [] for group_id in group_pco_ids}
    with closing(client.iter_memberships_of(group_pco_ids)) as pages:
        for page in pages:
            group_id = group_pco_ids[page.listing]
            loader = partial(schemas.load_group_membership, group_pco_id=group_id)
            listed[group_id].extend(load_records(page.records, loader, "Membership", progress))
    return listed


def _people_named(listed):
    """The people the memberships name, PEOPLE_SLICE PCO ids per query (a page of large groups
    can name more people than SQLite takes parameters in one statement)."""
    wanted = sorted({m["person_pco_id"] for memberships in listed.values() for m in memberships
                     if m["person_pco_id"]})
    people = {}
    for start in range(0, len(wanted), PEOPLE_SLICE):
        people.update(people_by_pco_id(wanted[start:start + PEOPLE_SLICE]))
    return people


def _pulled(records, listed, people, progress):
    """Under a narrowed pull scope, the groups with a member inside it (the others Skipped)."""
    inside = {pco_id: inside_pull_scope(person) for pco_id, person in people.items()}
    kept = [record for record in records if any_inside(
        [m["person_pco_id"] for m in listed[record["pco_group_id"]]], inside)]
    progress.count(SKIPPED, len(records) - len(kept))
    return kept


def apply_groups_page(records, listed, progress, narrowed=False):
    """A page of groups, each with all its memberships (`listed`: group PCO id -> loaded
    memberships): PCO decides the memberships of linked people; under a narrowed pull scope,
    of the people inside it, and a group with none of them is not pulled (rules/scope)."""
    people = _people_named(listed)
    if narrowed:
        records = _pulled(records, listed, people, progress)
    ids = [record["pco_group_id"] for record in records]
    groups = groups_by_pco_id(ids)
    removed = {}
    for group_id, person in removed_people(GROUP, ids):
        removed.setdefault(group_id, set()).add(person)
    department = []

    def page_department():
        if not department:
            department.append(pco_groups_department())
        return department[0]

    for record in records:
        group_id = record["pco_group_id"]
        outcome, group = apply_found_group(record, groups.get(group_id), page_department)
        progress.count(outcome)
        for data in listed[group_id]:
            progress.count(apply_membership(group, data, people, progress,
                                            removed.get(group_id, frozenset()), narrowed))
        remove_missing_memberships(
            group, {m["pco_membership_id"] for m in listed[group_id]}, narrowed)


def removed_from_group(group):
    """PCO ids of the people removed from this group here, until the push removes them in PCO."""
    return {person for _, person in removed_people(GROUP, [group.pco_group_id])}


def apply_membership(group, data, people, progress, removed=frozenset(), narrowed=False):
    """`removed`: see removed_from_group; such a membership is not brought back. `narrowed`:
    under a narrowed pull scope, one of a person not inside it is neither made nor changed."""
    if data["person_pco_id"] in removed:
        return SKIPPED
    person = people.get(data["person_pco_id"])
    if narrowed and not inside_pull_scope(person):
        return SKIPPED
    if person is None:
        progress.issue("Membership", f"Person {data['person_pco_id']} of group "
                       f"{group.name!r} is not in the local database yet: run Sync People "
                       "first.", pco_id=data["pco_membership_id"])
        return SKIPPED
    membership = _find_membership(group, person, data["pco_membership_id"])
    role = data["role"] if data["role"] in tuple(GroupRole) else GroupRole.MEMBER
    if membership is None:
        group.memberships.append(GroupMembership(
            person=person, role=role, joined_at=data["joined_at"],
            pco_membership_id=data["pco_membership_id"], pco_synced_role=role))
        return CREATED
    # A role changed here while PCO's stayed as last synced waits for the push, as a person's
    # edited fields do; a role PCO changed wins.
    local_role = membership.role if role == membership.pco_synced_role else role
    wanted = {"role": local_role, "joined_at": data["joined_at"] or membership.joined_at,
              "pco_membership_id": data["pco_membership_id"], "pco_synced_role": role}
    if all(getattr(membership, k) == v for k, v in wanted.items()):
        return SKIPPED
    for key, value in wanted.items():
        setattr(membership, key, value)
    return UPDATED


def _find_membership(group, person, pco_membership_id):
    for membership in group.memberships:
        if membership.pco_membership_id == pco_membership_id or membership.person_id == person.id:
            return membership
    return None


def remove_missing_memberships(group, seen, narrowed=False):
    for membership in list(group.memberships):
        if membership.pco_membership_id and membership.pco_membership_id not in seen:
            if not narrowed or inside_pull_scope(membership.person):
                group.memberships.remove(membership)


def with_tag_names(record, names):
    """The record with its tags by name (`names`: tag PCO id -> name; None: tags unknown, so
    the group keeps those it has)."""
    if names is None:
        return record
    return {**record, "tags": [names[i] for i in record["tag_ids"] if i in names]}


def pull_groups(client, progress):
    tags, narrowed = {}, pull_narrowed()

    def apply_page(records, progress):
        if "names" not in tags:  # read once, after the listing answered
            tags["names"] = pull_group_tags(client, progress)
        records = [with_tag_names(record, tags["names"]) for record in records]
        # Each group costs its own membership requests, read before anything is applied.
        listed = list_memberships(client, [record["pco_group_id"] for record in records],
                                  progress)
        apply_groups_page(records, listed, progress, narrowed)

    pull_listing(client.iter_groups(read_ahead=True), schemas.load_group, "Group", apply_page,
                 progress, (Group, Group.pco_group_id, still_in_pco(client.get_group)))


def read_groups_early(client):
    """What pull_groups asks PCO, asked before it starts (pco/early_reads.py): the tag groups
    and their tags, then the groups, a page at a time, with each page's memberships. The
    answers wait for the step, which applies them; nothing is written here."""
    with closing(client.iter_tags(tag_group_ids(client))) as pages:
        for _page in pages:
            pass
    for page in client.iter_groups():
        ids = [str(group["id"]) for group in page.records
               if isinstance(group, dict) and group.get("id") is not None]
        with closing(client.iter_memberships_of(ids)) as pages:
            for _page in pages:
                pass
