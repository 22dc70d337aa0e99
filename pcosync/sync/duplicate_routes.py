"""PCO Sync -> Duplicates (the finder's pairs) and Names (the church's own equivalences).
Thin views: parse, authorize, call services/duplicates, services/settings and jobs, answer."""
from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.permissions import permission_required
from ..extensions import db
from ..jobs import QueueUnavailable, scan_state, start_duplicate_scan
from ..models import PCO_MANAGE, DuplicatePair, NameKind
from ..services.directory.common import page_number
from ..services.duplicates import pairs
from ..services.settings import name_equivalences
from . import bp


@bp.route("/duplicates")
@permission_required(PCO_MANAGE)
def duplicates():
    page = pairs.open_pairs(page_number(request.args.get("page")))
    return render_template("sync/duplicates.html", page=page, last_scan=pairs.last_scan(),
                           scan=scan_state())


@bp.route("/duplicates/scan-status")
@permission_required(PCO_MANAGE)
def duplicate_scan_status():
    """JSON for the finder page's script: how far the scan is."""
    return jsonify(scan_state())


@bp.route("/duplicates/scan", methods=["POST"])
@permission_required(PCO_MANAGE)
def scan_duplicates():
    try:
        queued = start_duplicate_scan()
    except QueueUnavailable as err:
        flash(str(err), "error")
    else:
        flash("The scan started: its progress shows below, and the pairs when it ends."
              if queued else "A scan is already running.", "info")
    return redirect(url_for("sync.duplicates"))


PAIR_ACTIONS = {"different": pairs.different_people, "dismiss": pairs.dismiss}


@bp.route("/duplicates/<int:pair_id>/<action>", methods=["POST"])
@permission_required(PCO_MANAGE)
def decide_pair(pair_id, action):
    if action not in PAIR_ACTIONS and action != "merge":
        abort(404)
    pair = db.session.get(DuplicatePair, pair_id) or abort(404)
    try:
        if action == "merge":
            message = pairs.merge(pair, current_user.email, request.form.get("kept_id", type=int))
        else:
            message = PAIR_ACTIONS[action](pair, current_user.email)
    except pairs.PairError as err:
        flash(str(err), "error")
    else:
        flash(message, "success")
    return redirect(url_for("sync.duplicates", page=request.form.get("page", 1, type=int)))


@bp.route("/names")
@permission_required(PCO_MANAGE)
def names():
    return render_template("sync/names.html", groups=name_equivalences.listed(),
                           kinds=name_equivalences.KIND_LABELS)


@bp.route("/names", methods=["POST"])
@permission_required(PCO_MANAGE)
def add_name():
    row, refused = name_equivalences.add(request.form.get("kind", NameKind.FIRST),
                                         request.form.get("name", ""),
                                         request.form.get("other_name", ""), current_user.email)
    if refused:
        flash(f"Not added: {refused}", "error")
    else:
        flash(f"{row.name.title()} and {row.other_name.title()} now count as the same name.",
              "success")
    return redirect(url_for("sync.names"))


@bp.route("/names/<int:row_id>/delete", methods=["POST"])
@permission_required(PCO_MANAGE)
def remove_name(row_id):
    row = name_equivalences.remove(row_id) or abort(404)
    flash(f"{row.name.title()} and {row.other_name.title()} are separate names again.", "success")
    return redirect(url_for("sync.names"))
