"""The review queue (/sync/review): what a sync could not decide alone, and its actions. Thin
views: parse, authorize, call services/review (and jobs.py for a retry), answer."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.permissions import permission_required
from ..auth.routes import safe_next
from ..extensions import db
from ..jobs import QueueUnavailable, start_run_in_worker
from ..models import PCO_MANAGE, ReviewItem, ReviewStatus
from ..services.review import actions, queue
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
                           retry_run=actions.retry_run)


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
