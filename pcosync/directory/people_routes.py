"""People: the list, a person's page, create, edit, archive and restore."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.permissions import permission_required
from ..models import NOTES_VIEW, PEOPLE_MANAGE
from ..services.directory import attendance as attendance_service
from ..services.directory import custom_fields as custom_fields_service
from ..services.directory import do_not_send
from ..services.directory import notes as notes_service
from ..services.directory import people as people_service
from ..services.review import queue as review_queue
from ..services.directory import profile as profile_service
from . import bp
from ..services.media import serve as media_service
from .forms import ArchiveForm, NewPersonForm, PersonForm, PhotoForm
from .helpers import (found_or_404, history_of, render_form, requested_page, search_text,
                      without_sensitive_fields)


@bp.route("/people/")
@permission_required(PEOPLE_MANAGE)
def people():
    search, archived = search_text(), request.args.get("archived") == "1"
    page = people_service.list_people(search, requested_page(), archived,
                                      after=request.args.get("after", "")[:400],
                                      before=request.args.get("before", "")[:400])
    return render_template("directory/people.html", page=page, search=search,
                           archived=archived)


@bp.route("/people/new", methods=["GET", "POST"])
@permission_required(PEOPLE_MANAGE)
def new_person():
    form = without_sensitive_fields(NewPersonForm())
    with_profile_choices(form)
    if form.validate_on_submit():
        person = people_service.create_person(form.data, email=form.email.data,
                                              phone=form.phone.data)
        flash(f"{person.full_name} was added to the directory.", "success")
        return redirect(url_for(".person", person_id=person.id))
    return render_form("directory/person_form.html", form, person=None)


@bp.route("/people/<int:person_id>")
@permission_required(PEOPLE_MANAGE)
def person(person_id):
    person = found_or_404(people_service.load_person(person_id))
    return render_template(
        "directory/person.html", person=person, families=people_service.families_of(person),
        groups=people_service.groups_of(person),
        archive_form=archive_form(), grade_name=profile_service.grade_name,
        review_items=review_queue.for_person(person.id),
        waiting=people_service.waiting_for_push(person),
        custom_fields=custom_fields_service.person_field_groups(person),
        attendance=attendance_service.person_attendance(person, request.args.get("attendance")),
        stored_photo=media_service.shown_photo_file(person), photo_form=PhotoForm(),
        **history_of("person", person.id), **notes_context(person))


def notes_context(person):
    """The notes part of the page: nothing at all without notes.view."""
    if not current_user.can(NOTES_VIEW):
        return {"notes": None}
    return {"notes": notes_service.notes_of(person),
            "note_categories": notes_service.writable_categories()}


@bp.route("/people/<int:person_id>/edit", methods=["GET", "POST"])
@permission_required(PEOPLE_MANAGE)
def edit_person(person_id):
    person = found_or_404(people_service.load_person(person_id))
    form = without_sensitive_fields(PersonForm(obj=person))
    form.keep_current_choices(person)
    with_profile_choices(form, person)
    if form.validate_on_submit():
        people_service.update_person(person, form.data)
        flash("Changes saved.", "success")
        return redirect(url_for(".person", person_id=person.id))
    return render_form("directory/person_form.html", form, person=person)


@bp.route("/people/<int:person_id>/archive", methods=["POST"])
@permission_required(PEOPLE_MANAGE)
def archive_person(person_id):
    person = found_or_404(people_service.load_person(person_id))
    form = archive_form()
    if not form.validate():
        flash("Choose an inactive reason from the list, or none.", "error")
        return redirect(url_for(".person", person_id=person.id))
    people_service.archive_person(person, form.inactive_reason.data)
    message = f"{person.full_name} is archived: hidden from the directory until restored."
    if person.pco_id:
        message += " The next Push People makes them inactive in PCO."
    flash(message, "success")
    return redirect(url_for(".person", person_id=person.id))


@bp.route("/people/<int:person_id>/restore", methods=["POST"])
@permission_required(PEOPLE_MANAGE)
def restore_person(person_id):
    person = found_or_404(people_service.load_person(person_id))
    people_service.restore_person(person)
    flash(f"{person.full_name} is back in the directory.", "success")
    return redirect(url_for(".person", person_id=person.id))


def with_profile_choices(form, person=None):
    form.set_profile_choices(profile_service.all_choice_values(), profile_service.campuses(),
                             person)


def archive_form():
    form = ArchiveForm()
    form.set_reasons(profile_service.choice_values("inactive_reason"))
    return form


@bp.route("/people/do-not-send", methods=["POST"])
@permission_required(PEOPLE_MANAGE)
def set_do_not_send():
    """The people list's bulk action (and a person page's toggle): mark or unmark."""
    held = request.form.get("action") != "unmark"
    chosen = request.form.getlist("person_id")
    changed = do_not_send.set_do_not_send(chosen, held, current_user.email)
    if not chosen:
        flash("Select people first.", "error")
    elif held:
        flash(f"{changed} {'person' if changed == 1 else 'people'} marked do not send to PCO: "
              "nothing about them is written to PCO from now on (nothing is removed there).",
              "success")
    else:
        flash(f"{changed} {'person' if changed == 1 else 'people'} may be sent to PCO again "
              "(with the next push, if the sync scope includes them).", "success")
    back = request.form.get("back", "")
    return redirect(back if back.startswith("/directory/") and "//" not in back
                    else url_for(".people"))
