"""The Sync page's "set and forget" parts: schedules, webhook subscriptions the app sets up,
rotates and watches, and the test alert. Thin views: parse, authorize, call the services (and
jobs.py to schedule), answer."""
import redis as redis_lib
from flask import current_app, request
from flask_login import current_user

from ..auth.permissions import permission_required
from ..jobs import apply_schedules
from ..models import PCO_MANAGE
from ..pco.errors import PCOError
from ..services.alerts import notify
from ..services.connection import while_admin_waits
from ..services.runs import schedules
from ..services.webhooks import setup as webhook_setup
from . import bp
from .routes import answer


@bp.route("/schedules", methods=["POST"])
@permission_required(PCO_MANAGE)
def save_schedules():
    try:
        values = schedules.parse_form(request.form)
        schedules.save_schedule(*values, by=current_user.email)
        schedules.church_zone()
    except schedules.ScheduleError as err:
        return answer(str(err), "error", 400)
    try:
        apply_schedules()
    except redis_lib.RedisError:
        return answer("Schedules saved. The job queue (Redis) is unavailable: the worker "
                      "schedules them as soon as it is back.", "info")
    return answer("Schedules saved; the worker runs them.", "success")


@bp.route("/webhooks/setup", methods=["POST"])
@permission_required(PCO_MANAGE)
def set_up_webhooks():
    config = current_app.config
    blocker = webhook_setup.setup_blocker(config)
    if blocker:
        return answer(f"Webhooks were not set up: {blocker}", "error", 400)
    try:
        result = while_admin_waits(lambda client: webhook_setup.set_up(client, config))
    except PCOError as err:
        return answer(f"Setting up webhooks failed: {err}", "error", 502)
    return answer(result.summary(), "success", created=len(result.created),
                  reactivated=len(result.reactivated))


@bp.route("/webhooks/rotate", methods=["POST"])
@permission_required(PCO_MANAGE)
def rotate_webhook_secrets():
    try:
        count = while_admin_waits(webhook_setup.rotate_secrets)
    except webhook_setup.SetupRefused as err:
        return answer(str(err), "error", 409)
    except PCOError as err:
        return answer(f"Rotating the secrets failed: {err}", "error", 502)
    return answer(f"Rotated {count} webhook secrets; the new ones are stored (never shown). "
                  "The old ones are accepted for another hour.", "success", rotated=count)


@bp.route("/alerts/test", methods=["POST"])
@permission_required(PCO_MANAGE)
def send_test_alert():
    try:
        return answer(notify.send_test_alert(), "success")
    except notify.MailError as err:
        return answer(str(err), "error", 502)
