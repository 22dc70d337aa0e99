"""POST /api/pco-webhook: the one CSRF-exempt route. Authenticity first, then record, then 200."""
import logging

from flask import current_app, jsonify, request

from .. import jobs
from ..extensions import csrf
from ..services.webhooks import receive as webhooks
from . import bp

log = logging.getLogger("pcosync.webhooks")
SIGNATURE_HEADER = "X-PCO-Webhooks-Authenticity"


def refuse(status, reason):
    log.warning("webhook refused status=%s reason=%r remote_addr=%s", status, reason,
                request.remote_addr)
    return jsonify(error=reason), status


def read_body():
    """The raw body, or None when it is larger than we accept (checked before hashing)."""
    if (request.content_length or 0) > webhooks.MAX_BODY_BYTES:
        return None
    body = request.stream.read(webhooks.MAX_BODY_BYTES + 1)
    return None if len(body) > webhooks.MAX_BODY_BYTES else body


@bp.route("/api/pco-webhook", methods=["POST"])
@csrf.exempt
def receive():
    body = read_body()
    if body is None:
        return refuse(413, "body too large")
    verified = webhooks.verify(body, request.headers.get(SIGNATURE_HEADER), current_app.config)
    if verified is None:
        log.error("webhook refused: no webhook secret is configured, so no delivery can be "
                  "verified; set PUBLIC_BASE_URL and import the subscriptions' secrets on the "
                  "Sync page (only subscriptions to this app's address are trusted), or set "
                  "PCO_WEBHOOK_SECRET")
        return jsonify(error="webhooks are not configured on this server"), 503
    if not verified:
        return refuse(401, "missing or invalid signature")
    try:
        row_id = webhooks.record(body, verified)
    except webhooks.WrongSecret as err:
        return refuse(401, str(err))
    except webhooks.BadDelivery as err:
        return refuse(400, str(err))
    if row_id is None:
        return jsonify(status="duplicate"), 200
    queued = jobs.queue_delivery(row_id)
    return jsonify(status="accepted", queued=queued), 200
