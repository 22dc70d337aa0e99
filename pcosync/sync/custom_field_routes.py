"""PCO Sync -> Custom fields: the admin's per-field sync setting. Thin views: parse, authorize,
call services/custom_field_settings, answer (the CSRF token is checked by CSRFProtect)."""
from flask import flash, redirect, render_template, request, url_for

from ..auth.permissions import permission_required
from ..models import PCO_MANAGE, FieldSync
from ..services.settings import custom_fields as settings
from . import bp

MAX_ERRORS_SHOWN = 5  # a tampered form's errors must not overflow the session cookie


@bp.route("/custom-fields")
@permission_required(PCO_MANAGE)
def custom_fields():
    groups = settings.setting_groups()
    return render_template("sync/custom_fields.html", groups=groups,
                           overview=settings.overview(groups), settings=list(FieldSync),
                           setting_names=settings.SETTING_NAMES,
                           new_field_types=settings.NEW_FIELD_TYPES)


@bp.route("/custom-fields", methods=["POST"])
@permission_required(PCO_MANAGE)
def save_custom_fields():
    result = settings.save_settings(request.form)
    for error in result.errors[:MAX_ERRORS_SHOWN]:
        flash(error, "error")
    if len(result.errors) > MAX_ERRORS_SHOWN:
        flash(f"…and {len(result.errors) - MAX_ERRORS_SHOWN} more settings were ignored.",
              "error")
    flash(result.summary(), "success" if result.changed else "info")
    return redirect(url_for("sync.custom_fields"))


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
