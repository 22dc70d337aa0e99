"""The review queue (/sync/review): what a sync could not decide alone, and its actions. Thin
views: parse, authorize, call services/review (and jobs.py for a retry), answer."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.permissions import permission_required
from ..auth.routes import safe_next
from ..extensions import db
from ..jobs import QueueUnavailable, start_run_in_worker
from ..models import PCO_MANAGE, ChangeSource, ReviewItem, ReviewStatus
from ..services.history.context import recording
from ..services.review import actions, bulk, queue
from ..services.runs.lifecycle import RunAlreadyActive
from . import bp


@bp.route("/review")
@permission_required(PCO_MANAGE)
def review():
    status = request.args.get("status", ReviewStatus.OPEN)
    if status not in set(ReviewStatus):
        status = ReviewStatus.OPEN
    return render_template("sync/review.html", groups=queue.grouped(status), status=status,
                           statuses=list(ReviewStatus), open_count=queue.open_count(),
                           retry_run=actions.retry_run, bulk_actions=bulk.BULK_ACTIONS)


@bp.route("/review/bulk", methods=["POST"])
@permission_required(PCO_MANAGE)
def bulk_act():
    """First a confirmation that says how many; then, confirmed, the action on each."""
    action = request.form.get("action")
    if action not in bulk.BULK_ACTIONS:
        abort(404)
    items = bulk.open_items(request.form.getlist("item_ids", type=int))
    if not items:
        flash("Choose at least one open item first.", "error")
        return redirect(url_for("sync.review"))
    if request.form.get("confirmed") != "1":
        return render_template("sync/review_bulk.html", items=items, action=action,
                               question=bulk.question(action, len(items)))
    done, refused = bulk.apply(action, items, current_user.email)
    flash(f"{done} item{'s' if done != 1 else ''} done.", "success")
    for reason in sorted(set(refused)):
        flash(f"Not done for {refused.count(reason)}: {reason}", "error")
    return redirect(url_for("sync.review"))


# Actions that need nothing but the item and who acts.
SIMPLE_ACTIONS = {"dismiss": actions.dismiss, "confirm": actions.confirm,
                  "different": actions.different_people, "keep_local": actions.keep_local,
                  "keep_pco": actions.keep_pco}


@bp.route("/review/<int:item_id>/<action>", methods=["POST"])
@permission_required(PCO_MANAGE)
def act(item_id, action):
    if action not in SIMPLE_ACTIONS and action not in ("link", "merge", "retry"):
        abort(404)
    item = db.session.get(ReviewItem, item_id) or abort(404)
    try:
        with recording(ChangeSource.REVIEW, user_id=current_user.id):
            message = perform(item, action, current_user.email)
    except actions.ReviewError as err:
        flash(str(err), "error")
    except (RunAlreadyActive, QueueUnavailable) as err:
        flash(f"Not retried: {err}", "error")
    else:
        flash(message, "success")
    return redirect(safe_next(request.form.get("next")) or url_for("sync.review"))


def perform(item, action, by):
    if action == "link":
        return actions.link(item, by, request.form.get("pco_id", ""))
    if action == "merge":
        return actions.merge(item, by, request.form.get("kept_id", type=int))
    if action == "retry":
        return retry(item, by)
    return SIMPLE_ACTIONS[action](item, by)


def retry(item, by):
    """The claim and the run start commit together; a run that cannot start leaves the item
    open, and an item already resolved starts nothing."""
    run_kind, resolution = actions.claim_for_retry(item, by)
    try:
        start_run_in_worker(run_kind, triggered_by=by, user_id=current_user.id)
    except (RunAlreadyActive, QueueUnavailable):
        actions.reopen(item, resolution)
        raise
    return resolution
