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
from ..models import PCO_MANAGE, PEOPLE_SENSITIVE, FieldChange, RunStatus, SyncRun
from ..services.history import revert as reverts
from ..services.history.views import named
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


# One field change, from a person's, family's or group's history: a page that says what will
# change and asks first (GET), then the undo (POST). Refused when the value changed since.
@bp.route("/changes/<int:change_id>/undo", methods=["GET", "POST"])
@permission_required(PCO_MANAGE)
def undo_change(change_id):
    change = db.session.get(FieldChange, change_id) or abort(404)
    if change.is_sensitive and not current_user.can(PEOPLE_SENSITIVE):
        abort(404)
    [entry] = named([change])
    refusal = _refusal(change)
    plan = None if refusal else reverts.plan_change(change_id)
    if plan is not None and plan.conflicts:
        refusal = (f"{history_words.field_label(entry)} was changed again since: it is now "
                   f"{history_words.shown(plan.conflicts[0][1])}. Nothing was undone.")
    if request.method == "GET":
        return render_template("sync/undo_change.html", entry=entry, plan=plan,
                               refusal=refusal, words=history_words, back=_record_page(change))
    if refusal:
        flash(refusal, "error")
        return redirect(_record_page(change))
    reverts.apply(plan, user_id=current_user.id)
    message = (f"Undone: {history_words.field_label(entry)} of {entry.record_name} is "
               f"{history_words.shown(change.before)} again.")
    if plan.push_kind and plan.pco_writes:
        message += " " + _push(plan)
    flash(message, "success")
    return redirect(_record_page(change))


def _refusal(change):
    if not reverts.undoable(change):
        return ("Only a change of a value is undone here: a review action is undone from the "
                "review queue, a record added or removed by reverting its run.")
    if reverts.undone_by(change.id) is not None:
        return "This change was already undone."
    return None


def _record_page(change):
    for owner, endpoint in (("person", "directory.person"), ("family", "directory.family"),
                            ("group", "directory.group")):
        owner_id = getattr(change, f"{owner}_id")
        if owner_id is not None:
            return url_for(endpoint, **{f"{owner}_id": owner_id}) + "#history-title"
    return url_for(".index")
