"""PCO Sync -> Note categories: the admin's per-category sync setting for pastoral notes. Thin
views: parse, authorize, call services/settings/note_categories, answer (CSRFProtect checks the
token). No note text is shown, so `pco.manage` is enough."""
from flask import render_template, request

from ..auth.permissions import permission_required
from ..models import PCO_MANAGE
from ..services.settings import note_categories as settings
from . import bp
from .setting_pages import answer_saved, setting_columns


@bp.route("/note-categories")
@permission_required(PCO_MANAGE)
def note_categories():
    return render_template("sync/note_categories.html", rows=settings.category_rows(),
                           **setting_columns())


@bp.route("/note-categories", methods=["POST"])
@permission_required(PCO_MANAGE)
def save_note_categories():
    return answer_saved(settings.save_settings(request.form), "sync.note_categories",
                        "And {count} more settings were ignored.")
