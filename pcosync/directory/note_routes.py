"""A person's pastoral notes: shown on the person's page to notes.view holders; written,
edited and deleted by notes.manage holders."""
from datetime import date

from flask import flash, redirect, request, url_for
from flask_login import current_user

from ..auth.permissions import permission_required
from ..models import NOTES_MANAGE
from ..services.directory import notes as notes_service
from ..services.directory import people as people_service
from ..services.directory.common import DirectoryError
from . import bp
from .helpers import found_or_404


def _back(person_id):
    return redirect(url_for("directory.person", person_id=person_id) + "#notes")


def _form_date():
    try:
        return date.fromisoformat(request.form.get("display_date", "").strip())
    except ValueError:
        return None


def _category_id():
    raw = request.form.get("category_id", "")
    return int(raw) if raw.isdigit() else None


@bp.route("/people/<int:person_id>/notes", methods=["POST"])
@permission_required(NOTES_MANAGE)
def add_note(person_id):
    person = found_or_404(people_service.load_person(person_id))
    try:
        notes_service.add_note(person, _category_id(), request.form.get("text"), _form_date(),
                               current_user.display_name)
        flash("Note added.", "success")
    except DirectoryError as err:
        flash(str(err), "error")
    return _back(person_id)


@bp.route("/people/<int:person_id>/notes/<int:note_id>/edit", methods=["POST"])
@permission_required(NOTES_MANAGE)
def edit_note(person_id, note_id):
    person = found_or_404(people_service.load_person(person_id))
    note = found_or_404(notes_service.note_of(person, note_id))
    try:
        notes_service.edit_note(note, _category_id(), request.form.get("text"), _form_date())
        flash("Note saved.", "success")
    except DirectoryError as err:
        flash(str(err), "error")
    return _back(person_id)


@bp.route("/people/<int:person_id>/notes/<int:note_id>/delete", methods=["POST"])
@permission_required(NOTES_MANAGE)
def delete_note(person_id, note_id):
    person = found_or_404(people_service.load_person(person_id))
    notes_service.delete_note(found_or_404(notes_service.note_of(person, note_id)))
    flash("Note deleted.", "success")
    return _back(person_id)
