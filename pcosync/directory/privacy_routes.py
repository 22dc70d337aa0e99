"""A person's data on request: what is held (and would be erased), the export, the erasure."""
import io

from flask import flash, redirect, render_template, send_file, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField

from ..auth.permissions import permission_required
from ..models import PEOPLE_PRIVACY
from ..services.directory import people as people_service
from ..services.privacy import erase as erase_service
from ..services.privacy.export import archive_name, export_archive
from . import bp
from .helpers import found_or_404


class EraseForm(FlaskForm):
    in_pco = BooleanField("Also delete them in PCO")


@bp.route("/people/<int:person_id>/privacy")
@permission_required(PEOPLE_PRIVACY)
def person_privacy(person_id):
    person = found_or_404(people_service.load_person(person_id))
    return render_template("directory/person_privacy.html", person=person,
                           plan=erase_service.plan(person, current_user.can),
                           pco_side=erase_service.PCO_SIDE, form=EraseForm())


@bp.route("/people/<int:person_id>/export", methods=["POST"])
@permission_required(PEOPLE_PRIVACY)
def export_person(person_id):
    person = found_or_404(people_service.load_person(person_id))
    archive = export_archive(person, current_user.can)
    return send_file(io.BytesIO(archive), mimetype="application/zip", as_attachment=True,
                     download_name=archive_name(person))


@bp.route("/people/<int:person_id>/erase", methods=["POST"])
@permission_required(PEOPLE_PRIVACY)
def erase_person(person_id):
    person = found_or_404(people_service.load_person(person_id))
    form = EraseForm()
    if not form.validate_on_submit():
        flash("The form expired: open the page again and confirm.", "error")
        return redirect(url_for(".person_privacy", person_id=person_id))
    name = person.full_name
    erasure = erase_service.erase_on_request(person, current_user.display_name,
                                             form.in_pco.data)
    outcome = erasure.record.pco_outcome
    flash(f"{name} is erased here. PCO: {outcome}.",
          "error" if outcome.startswith("refused") else "success")
    return redirect(url_for(".people"))
