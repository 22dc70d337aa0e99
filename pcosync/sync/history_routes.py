"""What a run changed, and its undo: a page that says what a revert would do (how many fields
on how many records, how many PCO writes follow) and asks first; the revert itself; the push
that sends the restored values to PCO, started with the admin's confirmation (the guard would
otherwise stop a large one)."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.permissions import permission_required
from ..directory import history_words
from ..extensions import db
from ..jobs import QueueUnavailable, start_run_in_worker
from ..models import PCO_MANAGE, PEOPLE_SENSITIVE, RunStatus, SyncRun
from ..services.history import revert as reverts
from ..services.runs.lifecycle import RunAlreadyActive
from . import bp


def _plan(run_id):
    record = None
    if request.values.get("record_type") and request.values.get("record_id", type=int):
        record = (request.values["record_type"], request.values.get("record_id", type=int))
    return reverts.plan_run(run_id, record), record


# One rule for both methods: Werkzeug answers 405 rather than 404 to a POST with an id out of
# range when a GET and a POST rule share a path with a bounded converter.
@bp.route("/runs/<int:run_id>/revert", methods=["GET", "POST"])
@permission_required(PCO_MANAGE)
def revert(run_id):
    """GET: what a revert would do, to confirm; POST: do it."""
    run = db.session.get(SyncRun, run_id) or abort(404)
    plan, record = _plan(run_id)
    if request.method == "GET":
        return render_template("sync/revert.html", run=run, plan=plan, record=record,
                               words=history_words, shown=_shown(plan))
    if run.status == RunStatus.RUNNING or run.preview:
        flash("A run is reverted once it has ended (and a preview changed nothing).", "error")
        return redirect(url_for(".run_detail", run_id=run_id))
    reverts.apply(plan, user_id=current_user.id)
    message = f"Reverted: {plan.sentence()}."
    if plan.push_kind and plan.pco_writes:
        message += " " + _push(plan)
    flash(message, "success")
    return redirect(url_for(".run_detail", run_id=run_id))


def _shown(plan):
    """The conflicts as (entry, value now), sensitive ones only for those who may see them."""
    from ..services.history.views import named

    show = current_user.can(PEOPLE_SENSITIVE)
    entries = named([restore.last for restore, _current in plan.conflicts])
    return [(entry, current) for entry, (_restore, current) in zip(entries, plan.conflicts)
            if show or not entry.change.is_sensitive]


def _push(plan):
    """The push that sends the restored values; the admin confirmed its size on the revert."""
    try:
        push = start_run_in_worker(plan.push_kind, triggered_by=f"revert by {current_user.email}",
                                   user_id=current_user.id, confirmed=True)
    except (RunAlreadyActive, QueueUnavailable) as err:
        return f"The push to PCO did not start ({err}); run {plan.push_kind} when you can."
    return f"{plan.push_kind} (run {push.id}) sends the restored values to PCO."
