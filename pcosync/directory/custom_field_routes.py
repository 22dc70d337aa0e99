"""A person's custom fields: the form with every tab (the person's page shows them). Thin view:
the service reads, checks and saves the fields; the CSRF token is checked by CSRFProtect."""
from flask import flash, redirect, render_template, request, url_for

from ..auth.permissions import permission_required
from ..models import PEOPLE_MANAGE
from ..services.directory import custom_fields as custom_fields_service
from ..services.directory import people as people_service
from . import bp
from .helpers import INVALID, found_or_404


@bp.route("/people/<int:person_id>/custom-fields", methods=["GET", "POST"])
@permission_required(PEOPLE_MANAGE)
def edit_custom_fields(person_id):
    person = found_or_404(people_service.load_person(person_id))
    if request.method == "GET":
        groups = custom_fields_service.person_field_groups(person)
        return render_template("directory/custom_fields_form.html", person=person,
                               groups=groups, errors=[])
    result = custom_fields_service.update_person_fields(person, request.form)
    if not result.saved:
        return render_template("directory/custom_fields_form.html", person=person,
                               groups=result.groups, errors=result.errors), INVALID
    flash(custom_fields_service.describe_saved(person, result), "success")
    return redirect(url_for(".person", person_id=person.id))
