"""Stored photos and files, served to signed-in users; a person's or a family's photo uploaded
or replaced."""
from flask import Response, abort, current_app, flash, redirect, request, url_for

from ..auth.permissions import permission_required
from ..extensions import db
from ..models import PEOPLE_MANAGE
from ..services.directory import families as families_service
from ..services.directory import people as people_service
from ..services.media import files as media_files
from ..services.media import photos as photo_service
from ..services.media import serve as serve_service
from . import bp
from .forms import PhotoForm
from .helpers import found_or_404

CACHE_SECONDS = 3600


@bp.route("/media/<int:file_id>")
@permission_required(PEOPLE_MANAGE)
def stored_file(file_id):
    row = found_or_404(serve_service.stored_file(file_id))
    if request.if_none_match.contains(row.sha256):
        return _cached(Response(status=304), row)
    try:
        content, content_type, inline = serve_service.served(row)
    except FileNotFoundError:
        abort(404)
    response = Response(content, content_type=content_type)
    if not inline:
        response.headers["Content-Disposition"] = "attachment"
    return _cached(response, row)


def _cached(response, row):
    """The hash is the ETag (a file's bytes never change under its id); private: a shared
    cache must not keep what only signed-in users may see."""
    response.set_etag(row.sha256)
    response.cache_control.private = True
    response.cache_control.max_age = CACHE_SECONDS
    return response


@bp.route("/people/<int:person_id>/photo", methods=["POST"])
@permission_required(PEOPLE_MANAGE)
def upload_photo(person_id):
    person = found_or_404(people_service.load_person(person_id))
    return _take_photo(person, url_for(".person", person_id=person.id), person.pco_id)


@bp.route("/families/<int:family_id>/photo", methods=["POST"])
@permission_required(PEOPLE_MANAGE)
def upload_family_photo(family_id):
    family = found_or_404(families_service.load_family(family_id))
    return _take_photo(family, url_for(".family", family_id=family.id),
                       family.pco_household_id)


def _take_photo(owner, page_url, in_pco):
    """One upload for a person's or a family's photo: the same checks, the same storage."""
    # The photo's own limit, beyond MAX_CONTENT_LENGTH's, with room for the form around it.
    request.max_content_length = int(current_app.config["PHOTO_MAX_BYTES"]) + 64 * 1024
    form = PhotoForm()
    if not form.validate_on_submit():
        flash(" ".join(form.photo.errors) or "Choose a photo to upload.", "error")
        return redirect(page_url)
    try:
        _, replaced = photo_service.keep_local_photo(owner, form.photo.data.read())
    except photo_service.PhotoRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return redirect(page_url)
    db.session.commit()
    media_files.forget(replaced)
    message = "Photo saved."
    if in_pco:
        message += " The next Push Photos sends it to PCO."
    flash(message, "success")
    return redirect(page_url)
