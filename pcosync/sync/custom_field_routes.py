"""PCO Sync -> Custom fields: the admin's per-field sync setting. Thin views: parse, authorize,
call services/custom_field_settings, answer (the CSRF token is checked by CSRFProtect)."""
from flask import flash, redirect, render_template, request, url_for

from ..auth.permissions import permission_required
from ..models import PCO_MANAGE
from ..services.settings import custom_fields as settings
from . import bp
from .setting_pages import answer_saved, setting_columns


@bp.route("/custom-fields")
@permission_required(PCO_MANAGE)
def custom_fields():
    groups = settings.setting_groups()
    return render_template("sync/custom_fields.html", groups=groups,
                           overview=settings.overview(groups),
                           new_field_types=settings.NEW_FIELD_TYPES, **setting_columns())


@bp.route("/custom-fields", methods=["POST"])
@permission_required(PCO_MANAGE)
def save_custom_fields():
    return answer_saved(settings.save_settings(request.form), "sync.custom_fields",
                        "…and {count} more settings were ignored.")


@bp.route("/custom-fields/new", methods=["POST"])
@permission_required(PCO_MANAGE)
def add_custom_field():
    definition, refused = settings.add_field(request.form)
    if refused:
        flash(f"The field was not added: {refused}", "error")
    else:
        flash(f"{definition.name} was added here (pull only: it stays here until you set it "
              "to sync both ways, which creates it in PCO with the next Push People).", "success")
    return redirect(url_for("sync.custom_fields"))
