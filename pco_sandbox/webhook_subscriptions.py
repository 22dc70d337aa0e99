"""Webhooks v2 subscriptions of this user, under both names PCO has used: 2022-10-20's
/webhooks/v2/webhook_subscriptions (type WebhookSubscription) and the older
/webhooks/v2/subscriptions (type Subscription). Create takes name, url and active; update takes
only active; rotate_secret gives the subscription a new secret. A collection switched off by
the `webhook_paths` setting answers 404, as a PCO that does not serve it would. The available
events are a paged list like every other (PCO documents offset and per_page for it)."""
from urllib.parse import urlsplit

from flask import Blueprint

from . import jsonapi
from .errors import Invalid, NotFound
from .payloads import read_attributes
from .pipeline import runtime
from .subscriptions import AVAILABLE_EVENTS
from .views import list_response, show_response

bp = Blueprint("sandbox_webhook_subscriptions", __name__)
COLLECTIONS = ("webhook_subscriptions", "subscriptions")
CREATE_ASSIGNABLE = frozenset({"name", "url", "active"})
UPDATE_ASSIGNABLE = frozenset({"active"})


def _table(collection):
    rt = runtime()
    if collection not in rt.config["SANDBOX_WEBHOOK_PATHS"]:
        raise NotFound(f"/webhooks/v2/{collection}")
    return rt.subscriptions


def _row(collection, subscription_id):
    row = _table(collection).get(subscription_id)
    if row is None:
        raise NotFound(f"Subscription {subscription_id}")
    return row


def list_subscriptions(collection):
    table = _table(collection)
    return list_response(collection, lambda store: table.listed(),
                         f"/webhooks/v2/{collection}")


def show_subscription(collection, subscription_id):
    row = _row(collection, subscription_id)
    return show_response(collection, lambda store: row)


def create_subscription(collection):
    table = _table(collection)
    _, attributes = read_attributes(CREATE_ASSIGNABLE)
    name, url = attributes.get("name"), attributes.get("url")
    if name not in AVAILABLE_EVENTS:
        raise Invalid("is not an available event", parameter="name",
                      resource="WebhookSubscription")
    if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https"):
        raise Invalid("is not a valid URL", parameter="url", resource="WebhookSubscription")
    row = table.create(name, url, attributes.get("active", True) is not False)
    return show_response(collection, lambda store: row, status=201)


def update_subscription(collection, subscription_id):
    _row(collection, subscription_id)
    _, attributes = read_attributes(UPDATE_ASSIGNABLE)
    row = _row(collection, subscription_id)
    if "active" in attributes:
        row = _table(collection).set_active(subscription_id, attributes["active"])
    return show_response(collection, lambda store: row)


def delete_subscription(collection, subscription_id):
    _row(collection, subscription_id)
    _table(collection).delete(subscription_id)
    return jsonapi.no_content()


def rotate_secret(collection, subscription_id):
    _row(collection, subscription_id)
    row = _table(collection).rotate_secret(subscription_id)
    return show_response(collection, lambda store: row)


def _register_routes():
    base = "/webhooks/v2/{collection}"
    routes = (
        (base, "GET", list_subscriptions),
        (base, "POST", create_subscription),
        (base + "/<int:subscription_id>", "GET", show_subscription),
        (base + "/<int:subscription_id>", "PATCH", update_subscription),
        (base + "/<int:subscription_id>", "DELETE", delete_subscription),
        (base + "/<int:subscription_id>/rotate_secret", "POST", rotate_secret),
    )
    for collection in COLLECTIONS:
        for rule, method, view in routes:
            bp.add_url_rule(rule.format(collection=collection), f"{view.__name__}_{collection}",
                            view, methods=[method], defaults={"collection": collection})


_register_routes()


def _available_events():
    return [{"id": name, "name": name} for name in sorted(AVAILABLE_EVENTS)]


@bp.get("/webhooks/v2/available_events")
def list_available_events():
    return list_response("available_events", lambda store: _available_events(),
                         "/webhooks/v2/available_events")


@bp.get("/webhooks/v2/available_events/<event_id>")
def show_available_event(event_id):
    event = next((e for e in _available_events() if e["id"] == event_id), None)
    if event is None:
        raise NotFound(f"AvailableEvent {event_id}")
    return show_response("available_events", lambda store: event)
