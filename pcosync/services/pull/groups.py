"""Apply PCO groups and their memberships, under the department "PCO Groups"."""
from sqlalchemy import select

from ...extensions import db
from ...models import PCO_GROUPS_DEPARTMENT, Department, Group, GroupMembership, GroupRole
from ...pco import schemas
from ..rules.merge import CREATED, SKIPPED, UPDATED, is_stale
from ..rules.pending_removals import GROUP, removed_people
from ..rules.scope import any_inside, inside_pull_scope, people_inside, pull_narrowed
from .choices import pull_group_tags
from .listing import load_records, people_by_pco_id, pull_listing, still_in_pco

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
    if group is None:
        group = Group(pco_group_id=record["pco_group_id"], department=pco_groups_department(),
                      name=record["name"] or "(unnamed group)")
        db.session.add(group)
        _set_fields(group, record)
        db.session.flush()
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


def pull_group(client, record, progress, narrowed=False):
    """The group, then all its memberships (PCO decides the memberships of linked people; under
    a narrowed pull scope, of the people inside it: rules/scope)."""
    pages = membership_pages(client, record, progress, narrowed)
    if pages is None:  # none of its members is inside the pull scope
        progress.count(SKIPPED)
        return
    outcome, group = apply_group(record)
    progress.count(outcome)
    seen = set()
    removed = removed_from_group(group)
    for memberships in pages:
        people = people_by_pco_id([m["person_pco_id"] for m in memberships])
        for data in memberships:
            seen.add(data["pco_membership_id"])
            progress.count(apply_membership(group, data, people, progress, removed, narrowed))
        progress.checkpoint()
    remove_missing_memberships(group, seen, narrowed)


def membership_pages(client, record, progress, narrowed):
    """The group's memberships, a loaded page at a time; under a narrowed pull scope all read
    first, and None when none of them is of a person inside it (the group is not pulled)."""
    def loader(resource):
        return schemas.load_group_membership(resource, group_pco_id=record["pco_group_id"])

    pages = (load_records(page.records, loader, "Membership", progress)
             for page in client.iter_group_memberships(record["pco_group_id"]))
    if not narrowed:
        return pages
    pages = list(pages)
    person_ids = [data["person_pco_id"] for memberships in pages for data in memberships]
    return pages if any_inside(person_ids, people_inside(person_ids)) else None


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
        for record in records:  # each group costs its own membership requests
            pull_group(client, with_tag_names(record, tags["names"]), progress, narrowed)
            progress.checkpoint()

    pull_listing(client.iter_groups(read_ahead=True), schemas.load_group, "Group", apply_page,
                 progress, (Group, Group.pco_group_id, still_in_pco(client.get_group)))
