"""The roles screen: which permissions each role holds (pco.manage holders grant and revoke)."""
from flask import flash, redirect, render_template, request, url_for

from ..models import PCO_MANAGE
from ..services.access import grants
from . import bp
from .permissions import permission_required


@bp.route("/account/roles")
@permission_required(PCO_MANAGE)
def roles():
    rows, permissions = grants.roles_overview()
    return render_template("auth/roles.html", rows=rows, permissions=permissions)


@bp.route("/account/roles/<int:role_id>", methods=["POST"])
@permission_required(PCO_MANAGE)
def set_role_permission(role_id):
    held = request.form.get("action") == "grant"
    try:
        role = grants.set_role_permission(role_id, request.form.get("permission", ""), held)
    except grants.GrantError as err:
        flash(str(err), "error")
    else:
        flash(f"{role.name} {'now holds' if held else 'no longer holds'} "
              f"{request.form.get('permission')}.", "success")
    return redirect(url_for("auth.roles"))
