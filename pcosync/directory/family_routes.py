"""Families: the list, a family's page, create, edit (name and address), members."""
from flask import flash, redirect, render_template, request, url_for

from ..auth.permissions import permission_required
from ..models import PEOPLE_MANAGE
from ..services.directory import families
from ..services.directory.common import find_by_id
from ..services.review import queue as review_queue
from ..services.directory.contacts import FAMILY_ADDRESS_FIELDS
from ..services.directory.people import find_people
from ..services.media import serve as media_service
from . import bp
from .forms import (FamilyEditForm, FamilyForm, FamilyMemberForm, FamilyRoleForm, PhotoForm,
                    keep_current_choice)
from .helpers import (add_member, found_or_404, history_of, removed, render_form, requested_page,
                      save_role, search_text)


def family_or_404(family_id):
    return found_or_404(families.load_family(family_id))


def member_or_404(family, member_id):
    return found_or_404(find_by_id(family.members, member_id))


def family_url(family):
    return url_for(".family", family_id=family.id)


def back_to(family):
    return redirect(family_url(family))


@bp.route("/families/", endpoint="families")
@permission_required(PEOPLE_MANAGE)
def families_list():
    search = search_text()
    return render_template("directory/families.html", search=search,
                           page=families.list_families(requested_page(), search))


@bp.route("/families/new", methods=["GET", "POST"])
@permission_required(PEOPLE_MANAGE)
def new_family():
    form = FamilyForm()
    if form.validate_on_submit():
        family = families.create_family(form.name.data)
        flash(f"The family {family.name} was created. Now add its members.", "success")
        return back_to(family)
    return render_form("directory/family_form.html", form, family=None)


@bp.route("/families/<int:family_id>")
@permission_required(PEOPLE_MANAGE)
def family(family_id):
    family = family_or_404(family_id)
    search = search_text()
    candidates = find_people(search, exclude_ids=families.member_ids(family)) if search else []
    role_forms = {}
    for member in family.members:
        role_forms[member.id] = FamilyRoleForm(formdata=None, role=member.role,
                                               prefix=f"member-{member.id}")
        keep_current_choice(role_forms[member.id].role, member.role)
    return render_template("directory/family.html", family=family, search=search,
                           candidates=candidates, role_forms=role_forms,
                           add_form=FamilyMemberForm(formdata=None),
                           review_items=review_queue.for_family(family.id),
                           stored_photo=media_service.shown_photo_file(family),
                           photo_form=PhotoForm(), **history_of("family", family.id))


@bp.route("/families/<int:family_id>/edit", methods=["GET", "POST"])
@permission_required(PEOPLE_MANAGE)
def edit_family(family_id):
    family = family_or_404(family_id)
    # The current values fill the form on GET only: on POST, what was sent is the whole truth.
    form = FamilyEditForm(data=_current_values(family) if request.method == "GET" else None)
    if form.validate_on_submit():
        families.update_family(family, form.name.data, form.data)
        flash("Changes saved.", "success")
        return back_to(family)
    return render_form("directory/family_form.html", form, family=family)


def _current_values(family):
    values = {"name": family.name}
    if family.address is not None:
        values.update({name: getattr(family.address, name) for name in FAMILY_ADDRESS_FIELDS})
    return values


@bp.route("/families/<int:family_id>/members", methods=["POST"])
@permission_required(PEOPLE_MANAGE)
def add_family_member(family_id):
    family = family_or_404(family_id)
    add_member(FamilyMemberForm(), families.add_member, family,
               lambda person: f"{person.full_name} was added to the family.")
    return back_to(family)


@bp.route("/families/<int:family_id>/members/<int:member_id>/role", methods=["POST"])
@permission_required(PEOPLE_MANAGE)
def set_family_role(family_id, member_id):
    family = family_or_404(family_id)
    member = member_or_404(family, member_id)
    form = FamilyRoleForm(prefix=f"member-{member.id}")
    keep_current_choice(form.role, member.role)
    return save_role(member, form, family_url(family),
                     lambda role: f"{member.person.full_name}'s role was saved.")


@bp.route("/families/<int:family_id>/members/<int:member_id>/remove", methods=["POST"])
@permission_required(PEOPLE_MANAGE)
def remove_family_member(family_id, member_id):
    family = family_or_404(family_id)
    member = member_or_404(family, member_id)
    removed(member, lambda: families.remove_member(family, member), "the family",
            "The next Push Families removes them from the PCO household too.")
    return back_to(family)


@bp.route("/families/<int:family_id>/members/<int:member_id>/primary", methods=["POST"])
@permission_required(PEOPLE_MANAGE)
def make_primary_member(family_id, member_id):
    family = family_or_404(family_id)
    member = member_or_404(family, member_id)
    families.make_primary(family, member)
    flash(f"{member.person.full_name} is now the family's primary member.", "success")
    return back_to(family)
