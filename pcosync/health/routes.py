"""Thin views over services/alerts/health: 200 when every check is ok, 503 otherwise. GETs
only (CSRF protects only unsafe methods), no login, no secret, no personal data."""
from flask import jsonify

from ..services.alerts import health
from . import bp


def answer(report):
    response = jsonify(report)
    response.status_code = 200 if report["ok"] else 503
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("")
def liveness():
    """The web process, its database and Redis: what a load balancer should act on."""
    return answer(health.liveness())


@bp.route("/sync")
def sync():
    """The sync: worker heartbeat, last Full Sync and Quick Sync, webhooks, credentials. Also
    raises or resolves the worker and webhook subscription alerts."""
    return answer(health.sync_health())
