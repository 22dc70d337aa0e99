"""Leaving PCO, step by step (/sync/independence): the independence report, its "Bring It All
Here" button, and the disconnect with its confirmation. Thin views over
services/independence."""
import redis as redis_lib
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.permissions import permission_required
from ..jobs import QueueUnavailable, apply_schedules, start_run_in_worker
from ..models import PCO_MANAGE
from ..pco.errors import PCOError
from ..services.connection import while_admin_waits
from ..services.independence import disconnect as disconnecting
from ..services.independence.report import build_report
from ..services.media import failures as media_failures
from ..services.runs import kinds
from ..services.runs.lifecycle import RunAlreadyActive
from . import bp


@bp.route("/independence")
@permission_required(PCO_MANAGE)
def independence():
    report, error = None, None
    try:
        report = while_admin_waits(build_report)
    except PCOError as err:
        error = str(err)
    return render_template("sync/independence.html", report=report, error=error,
                           steps=disconnecting.STEPS,
                           bring=kinds.get(kinds.BRING_ALL_HERE),
                           last=disconnecting.last_disconnection(),
                           failing_files=media_failures.failing_files())


@bp.route("/independence/bring", methods=["POST"])
@permission_required(PCO_MANAGE)
def bring_it_all_here():
    try:
        run = start_run_in_worker(kinds.BRING_ALL_HERE, triggered_by=current_user.email,
                                  user_id=current_user.id)
    except RunAlreadyActive as err:
        flash(str(err), "error")
        return redirect(url_for("sync.run_detail", run_id=err.run.id))
    except QueueUnavailable as err:
        flash(str(err), "error")
        return redirect(url_for("sync.independence"))
    flash("Bring It All Here started: each step's progress shows below.", "success")
    return redirect(url_for("sync.run_detail", run_id=run.id))


@bp.route("/independence/disconnect", methods=["POST"])
@permission_required(PCO_MANAGE)
def disconnect():
    confirmed = request.form.get("leave_in_pco") == "1"
    try:
        row = while_admin_waits(lambda client: disconnecting.disconnect(
            client, by=current_user.email, confirmed=confirmed))
    except disconnecting.StillInPCO as err:
        flash(str(err), "error")
        return redirect(url_for("sync.independence"))
    except PCOError as err:
        flash(f"Not disconnected: {err}", "error")
        return redirect(url_for("sync.independence"))
    try:
        apply_schedules()
    except redis_lib.RedisError:
        pass  # the schedules are saved off; the worker applies them when it starts
    flash(f"Disconnected from PCO: {row.subscriptions_deleted} webhook subscriptions deleted "
          f"there, {row.schedules_turned_off} schedules turned off. Every record and PCO id "
          "is kept here.", "success")
    return redirect(url_for("sync.independence"))
