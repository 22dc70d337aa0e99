"""Webhooks v2: this app's subscriptions, one per event name the sandbox sends, while webhooks
are configured. PCO gives each subscription its own secret; the sandbox signs every delivery
with its one configured secret, so every subscription carries that secret."""
from flask import Blueprint, request

from . import jsonapi
from .pipeline import runtime
from .records import iso
from .store import EVENT_PREFIXES

bp = Blueprint("sandbox_webhook_subscriptions", __name__)
PATH = "/webhooks/v2/webhook_subscriptions"
EVENT_NAMES = tuple(f"{prefix}.{action}" for prefix in EVENT_PREFIXES.values()
                    for action in ("created", "updated", "destroyed"))


@bp.get(PATH)
def list_subscriptions():
    rt = runtime()
    hooks = rt.webhooks
    names = EVENT_NAMES if hooks.url and hooks.secret else ()
    base = request.host_url.rstrip("/")
    created = iso(rt.context().organization["created_at"])
    data = [{
        "type": "WebhookSubscription", "id": str(number),
        "attributes": {"name": name, "url": hooks.url, "active": hooks.enabled,
                       "authenticity_secret": hooks.secret, "application_id": "sandbox",
                       "created_at": created, "updated_at": created},
        "relationships": {}, "links": {"self": f"{base}{PATH}/{number}"},
    } for number, name in enumerate(names, start=1)]
    return jsonapi.api_response({
        "links": {"self": base + PATH}, "data": data, "included": [],
        "meta": {"total_count": len(data), "count": len(data), "can_include": []},
    })
