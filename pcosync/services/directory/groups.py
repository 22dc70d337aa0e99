"""Departments, groups and group memberships as the directory shows and edits them.

Groups mostly come from PCO (which lets no API create one); a local group can be made here,
under a department chosen or created by name. Only a local group's own fields are edited here:
a PCO group's name and description belong to the pull.
"""
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import Department, Group, GroupMembership, GroupRole, utcnow
from ..rules import pending_removals
from .common import DirectoryError, person_to_add

GROUP_ROLES = tuple((role.value, role.value.title()) for role in GroupRole)


def groups_by_department(group_type=None):
    """([(department, [(group, members, leaders)])], the group types of the current groups):
    departments and groups by name; departments without a current group are left out.
    `group_type`: only PCO groups of that type. Three queries whatever the number of groups."""
    groups = db.session.scalars(
        select(Group).where(Group.archived_at.is_(None))
        .options(selectinload(Group.department)).order_by(Group.name, Group.id)).all()
    types = sorted({group.group_type for group in groups if group.group_type}, key=str.casefold)
    if group_type:
        groups = [group for group in groups if group.group_type == group_type]
    counts = _role_counts([group.id for group in groups])
    sections = {}
    for group in groups:
        members, leaders = counts.get(group.id, (0, 0))
        sections.setdefault(group.department, []).append((group, members, leaders))
    return sorted(sections.items(), key=lambda item: (item[0].name.lower(), item[0].id)), types


def _role_counts(group_ids):
    if not group_ids:
        return {}
    rows = db.session.execute(
        select(GroupMembership.group_id, GroupMembership.role, func.count())
        .where(GroupMembership.group_id.in_(group_ids))
        .group_by(GroupMembership.group_id, GroupMembership.role)).all()
    counts = {}
    for group_id, role, number in rows:
        members, leaders = counts.get(group_id, (0, 0))
        counts[group_id] = (members + number, leaders + (number if role == GroupRole.LEADER else 0))
    return counts


def department_choices():
    return db.session.scalars(select(Department).order_by(Department.name)).all()


def load_group(group_id):
    options = [selectinload(Group.memberships).selectinload(GroupMembership.person),
               selectinload(Group.department)]
    return db.session.get(Group, group_id, options=options)


def leaders_and_members(group):
    """The group's memberships split by role, each list by last name then first name."""
    def order(membership):
        person = membership.person
        return ((person.last_name or "").lower(), (person.first_name or "").lower(), person.id)

    ordered = sorted(group.memberships, key=order)
    leaders = [m for m in ordered if m.role == GroupRole.LEADER]
    return leaders, [m for m in ordered if m.role != GroupRole.LEADER]


def _department(department_id, new_department_name):
    """The chosen department, or the one named (found case-insensitively, else created)."""
    name = (new_department_name or "").strip()
    if name:
        # The exact name first: SQLite's lower() folds ASCII only, so "Ëa" and "ëa" miss each
        # other there, and the unique name must still find its row rather than be added twice.
        found = db.session.scalar(select(Department).where(Department.name == name)) or \
            db.session.scalar(select(Department).where(
                func.lower(Department.name) == name.lower()).limit(1))
        return found or Department(name=name)
    department = db.session.get(Department, department_id) if department_id else None
    if department is None:
        raise DirectoryError("Choose a department or type the name of a new one.")
    return department


def create_group(name, description, department_id=None, new_department_name=None):
    group = Group(name=name, description=description,
                  department=_department(department_id, new_department_name))
    db.session.add(group)
    db.session.commit()
    return group


def update_group(group, name, description, department_id=None, new_department_name=None):
    if group.pco_group_id:
        raise DirectoryError("This group comes from PCO: change it in PCO, then pull Groups.")
    group.name, group.description = name, description
    group.department = _department(department_id, new_department_name)
    db.session.commit()
    return group


def add_membership(group, person_id, role):
    present = {membership.person_id for membership in group.memberships}
    person = person_to_add(person_id, present, "already in this group")
    group.memberships.append(GroupMembership(person=person, role=role, joined_at=utcnow()))
    pending_removals.forget(pending_removals.GROUP, group.pco_group_id, person.pco_id)
    db.session.commit()
    return person


def remove_membership(group, membership):
    """Delete the row. Returns True when PCO still holds the membership: the next push removes
    it there, and pulls leave it out until then."""
    held_by_pco = membership.pco_membership_id is not None and pending_removals.remember(
        pending_removals.GROUP, group.pco_group_id, membership.person.pco_id,
        membership.pco_membership_id)
    group.memberships.remove(membership)
    db.session.commit()
    return held_by_pco
