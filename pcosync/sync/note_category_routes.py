"""PCO Sync -> Note categories: the admin's per-category sync setting for pastoral notes. Thin
views: parse, authorize, call services/settings/note_categories, answer (CSRFProtect checks the
token). No note text is shown, so `pco.manage` is enough."""
from flask import flash, redirect, render_template, request, url_for

from ..auth.permissions import permission_required
from ..models import PCO_MANAGE, FieldSync
from ..services.settings import note_categories as settings
from ..services.settings.custom_fields import SETTING_NAMES
from . import bp

MAX_ERRORS_SHOWN = 5  # a tampered form's errors must not overflow the session cookie


@bp.route("/note-categories")
@permission_required(PCO_MANAGE)
def note_categories():
    return render_template("sync/note_categories.html", rows=settings.category_rows(),
                           settings=list(FieldSync), setting_names=SETTING_NAMES)


@bp.route("/note-categories", methods=["POST"])
@permission_required(PCO_MANAGE)
def save_note_categories():
    result = settings.save_settings(request.form)
    for error in result.errors[:MAX_ERRORS_SHOWN]:
        flash(error, "error")
    if len(result.errors) > MAX_ERRORS_SHOWN:
        flash(f"And {len(result.errors) - MAX_ERRORS_SHOWN} more settings were ignored.",
              "error")
    flash(result.summary(), "success" if result.changed else "info")
    return redirect(url_for("sync.note_categories"))
