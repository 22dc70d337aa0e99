"""The PCO Sync page (Configuration -> PCO Sync): thin views over the run services."""
from flask import (abort, current_app, flash, jsonify, redirect, render_template,
                   request, url_for)
from flask_login import current_user

from ..auth.permissions import permission_required
from ..extensions import db
from ..jobs import QueueUnavailable, start_run_in_worker
from ..directory import history_words
from ..models import PCO_MANAGE, PEOPLE_SENSITIVE, SyncRun
from ..pco.errors import PCOError
from ..services import connection as pco_connection
from ..services.connection import while_admin_waits
from ..services.history import views as history_views
from ..services.review import queue as review_queue
from ..services.runs import kinds
from ..services.runs import status as sync_status
from ..services.runs.lifecycle import RunAlreadyActive, request_cancel
from ..services.webhooks import subscriptions as webhook_subscriptions
from . import bp
from .page import automation_context, buttons, connection_facts, webhook_url


def wants_json():
    return request.accept_mimetypes.best == "application/json"


def answer(message, category, status=200, **data):
    """JSON for the page's script, a flash and a redirect without JavaScript."""
    if wants_json():
        return jsonify(message=message, ok=status < 400, **data), status
    flash(message, category)
    return redirect(url_for("sync.index"))


@bp.route("/")
@permission_required(PCO_MANAGE)
def index():
    return render_template(
        "sync/index.html", connection=connection_facts(current_app.config),
        runs=sync_status.history(), last_run=sync_status.last_finished(), **buttons(),
        status=sync_status.status(), webhook_url=webhook_url(current_app.config, request),
        imported_secrets=webhook_subscriptions.count_active(),
        review_count=review_queue.open_count(), **automation_context())


@bp.route("/status")
@permission_required(PCO_MANAGE)
def status():
    return jsonify(sync_status.status())


@bp.route("/history")
@permission_required(PCO_MANAGE)
def history():
    return render_template("sync/_history.html", runs=sync_status.history())


@bp.route("/test-connection", methods=["POST"])
@permission_required(PCO_MANAGE)
def check_connection():
    try:
        name, can_see = pco_connection.check_connection()
    except PCOError as err:
        return answer(f"Connection failed: {err}", "error", 502)
    return answer(f"Connected to {name}. {can_see}", "success", organization=name)


@bp.route("/webhook-secrets", methods=["POST"])
@permission_required(PCO_MANAGE)
def import_webhook_secrets():
    try:
        result = while_admin_waits(lambda client: webhook_subscriptions.import_subscriptions(
            client, current_app.config))
    except webhook_subscriptions.NoAddress as err:
        return answer(str(err), "error", 409)
    except PCOError as err:
        return answer(f"Import failed: {err}", "error", 502)
    return answer(result.summary(), "success", active=result.active)


@bp.route("/runs", methods=["POST"])
@permission_required(PCO_MANAGE)
def start():
    kind = request.form.get("kind", "")
    if kinds.find(kind) is None:
        return answer(f"Unknown sync type {kind[:40]!r}.", "error", 400)
    preview, confirmed = request.form.get("preview") == "1", request.form.get("confirm") == "1"
    try:
        run = start_run_in_worker(kind, triggered_by=current_user.email, user_id=current_user.id,
                                  preview=preview, confirmed=confirmed)
    except RunAlreadyActive as err:
        return answer(str(err), "error", 409, run_id=err.run.id)
    except QueueUnavailable as err:
        return answer(str(err), "error", 503)
    if preview and not wants_json():  # its page shows the report when it ends
        flash(f"Preview of {kind} started: nothing is written, nothing is sent to PCO.", "info")
        return redirect(url_for("sync.run_detail", run_id=run.id))
    started = f"Preview of {kind}" if preview else kind
    return answer(f"{started} started.", "success", 202, run=sync_status.run_summary(run),
                  url=url_for("sync.run_detail", run_id=run.id))


@bp.route("/runs/<int:run_id>/cancel", methods=["POST"])
@permission_required(PCO_MANAGE)
def cancel(run_id):
    if not request_cancel(run_id):
        return answer("That run is not running.", "error", 409)
    return answer("Cancel requested: the run stops after the current page.", "info")


@bp.route("/runs/<int:run_id>")
@permission_required(PCO_MANAGE)
def run_detail(run_id):
    run = db.session.get(SyncRun, run_id) or abort(404)
    return render_template("sync/run.html", run=run, summary=sync_status.run_summary(run),
                           changes=history_views.run_changes(
                               run.id, show_sensitive=current_user.can(PEOPLE_SENSITIVE)),
                           history_words=history_words, **sync_status.report_view(run))


@bp.route("/runs/<int:run_id>/summary")
@permission_required(PCO_MANAGE)
def run_summary(run_id):
    """The run page polls this while the run is going (and reloads when it ends)."""
    run = db.session.get(SyncRun, run_id) or abort(404)
    return jsonify(sync_status.run_summary(run))
