"""Groups: the list by department, a group's page, local groups, members and leaders."""
from flask import flash, redirect, render_template, request, url_for

from ..auth.permissions import permission_required
from ..models import PEOPLE_MANAGE
from ..services.directory import attendance as attendance_service
from ..services.directory import groups as groups_service
from ..services.directory.common import DirectoryError, find_by_id
from ..services.directory.people import find_people
from . import bp
from .forms import GroupForm, GroupMemberForm, GroupRoleForm
from .helpers import (add_member, found_or_404, history_of, removed, render_form, save_role,
                      search_text)


def group_or_404(group_id):
    return found_or_404(groups_service.load_group(group_id))


def membership_or_404(group, membership_id):
    return found_or_404(find_by_id(group.memberships, membership_id))


def group_url(group):
    return url_for(".group", group_id=group.id)


def back_to(group):
    return redirect(group_url(group))


@bp.route("/groups/")
@permission_required(PEOPLE_MANAGE)
def groups():
    group_type = request.args.get("type", "").strip()[:200]
    departments, group_types = groups_service.groups_by_department(group_type)
    return render_template("directory/groups.html", group_type=group_type,
                           group_types=group_types, departments=departments)


@bp.route("/groups/<int:group_id>")
@permission_required(PEOPLE_MANAGE)
def group(group_id):
    group = group_or_404(group_id)
    search = search_text()
    in_group = {m.person_id for m in group.memberships}
    candidates = find_people(search, exclude_ids=in_group) if search else []
    leaders, members = groups_service.leaders_and_members(group)
    role_forms = {m.id: GroupRoleForm(formdata=None, role=m.role, prefix=f"membership-{m.id}")
                  for m in group.memberships}
    meetings, meeting_counts = attendance_service.group_meetings(
        group, request.args.get("attendance"))
    return render_template("directory/group.html", group=group, leaders=leaders,
                           members=members, search=search, candidates=candidates,
                           role_forms=role_forms, add_form=GroupMemberForm(formdata=None),
                           meetings=meetings, meeting_counts=meeting_counts,
                           **history_of("group", group.id))


@bp.route("/groups/new", methods=["GET", "POST"])
@permission_required(PEOPLE_MANAGE)
def new_group():
    form = GroupForm()
    form.set_departments(groups_service.department_choices())
    group = _save(form) if form.validate_on_submit() else None
    if group is not None:
        flash(f"The group {group.name} was created.", "success")
        return back_to(group)
    return render_form("directory/group_form.html", form, group=None)


@bp.route("/groups/<int:group_id>/edit", methods=["GET", "POST"])
@permission_required(PEOPLE_MANAGE)
def edit_group(group_id):
    group = group_or_404(group_id)
    if group.pco_group_id:
        flash("This group comes from PCO: change it in PCO, then pull Groups.", "error")
        return back_to(group)
    form = GroupForm(obj=group)
    form.set_departments(groups_service.department_choices())
    if form.validate_on_submit() and _save(form, group) is not None:
        flash("Changes saved.", "success")
        return back_to(group)
    return render_form("directory/group_form.html", form, group=group)


def _save(form, group=None):
    """Create (no `group`) or update from the form. None when the department is refused: the
    reason is then shown on the department field."""
    values = (form.name.data, form.description.data, form.department_id.data,
              form.new_department.data)
    try:
        if group is None:
            return groups_service.create_group(*values)
        return groups_service.update_group(group, *values)
    except DirectoryError as error:
        form.department_id.errors = [*form.department_id.errors, str(error)]
        return None


@bp.route("/groups/<int:group_id>/members", methods=["POST"])
@permission_required(PEOPLE_MANAGE)
def add_group_member(group_id):
    group = group_or_404(group_id)
    form = GroupMemberForm()
    add_member(form, groups_service.add_membership, group,
               lambda person: f"{person.full_name} was added to the group as {form.role.data}.")
    return back_to(group)


@bp.route("/groups/<int:group_id>/members/<int:membership_id>/role", methods=["POST"])
@permission_required(PEOPLE_MANAGE)
def set_group_role(group_id, membership_id):
    group = group_or_404(group_id)
    membership = membership_or_404(group, membership_id)
    form = GroupRoleForm(prefix=f"membership-{membership.id}")
    return save_role(membership, form, group_url(group), lambda role: (
        f"{membership.person.full_name} is now a {role} of this group."))


@bp.route("/groups/<int:group_id>/members/<int:membership_id>/remove", methods=["POST"])
@permission_required(PEOPLE_MANAGE)
def remove_group_member(group_id, membership_id):
    group = group_or_404(group_id)
    membership = membership_or_404(group, membership_id)
    removed(membership, lambda: groups_service.remove_membership(group, membership),
            "the group here", "The next Push Group Memberships removes it in PCO too.")
    return back_to(group)
