"""PCO's webhook envelope: `{"data": [EventDelivery]}` with the event as a JSON *string*.

Real deliveries carry a one-element `data` array (docs/pco-api-facts.md §3.1); a single object
is accepted too. The inner payload is parsed once here.
"""
import json

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from .schema_base import (
    AttributesSchema, ResourceSchema, flatten_messages, load_resource, plain_text, related_id,
)


class EventDeliveryAttributes(Schema):
    class Meta:
        unknown = EXCLUDE

    # plain_text: a NUL in the name made PostgreSQL refuse the row (500, retried by PCO).
    name = fields.String(required=True, validate=[validate.Length(min=1), plain_text])
    attempt = fields.Integer(required=True, validate=validate.Range(min=1))
    payload = fields.String(required=True)


_ENVELOPE = ResourceSchema()
_ATTRIBUTES = EventDeliveryAttributes()


def _reject(reason: str) -> ValidationError:
    return ValidationError(f"Not a PCO webhook delivery: {reason}", reason=reason)


def _deliveries(envelope) -> list:
    if not isinstance(envelope, dict):
        raise _reject("the body is not a JSON object")
    data = envelope.get("data")
    if isinstance(data, dict):
        return [data]
    if not isinstance(data, list) or not data:
        raise _reject("`data` is missing or empty")
    return data


def _load_one(item) -> dict:
    if not isinstance(item, dict):
        raise _reject("a delivery in `data` is not a JSON object")
    try:
        delivery = _ENVELOPE.load(item)
    except ValidationError as err:
        raise _reject(flatten_messages(err.messages)) from None
    if delivery["type"] != "EventDelivery":
        raise _reject(f"type is {delivery['type']!r}, expected 'EventDelivery'")
    try:
        attributes = _ATTRIBUTES.load(delivery["attributes"])
    except ValidationError as err:
        raise _reject(flatten_messages(err.messages, "attributes.")) from None
    return {
        "delivery_id": delivery["id"],
        "event_name": attributes["name"],
        "attempt": attributes["attempt"],
        "payload": _parse_payload(attributes["payload"]),
        "organization_id": related_id(delivery["relationships"], "organization"),
    }


def _parse_payload(text: str) -> dict:
    try:
        payload = json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than Python goes
        raise _reject("attributes.payload is not valid JSON") from None
    if not isinstance(payload, dict):
        raise _reject("attributes.payload is not a JSON object")
    return payload


def load_event_deliveries(envelope) -> list[dict]:
    """Every EventDelivery in the envelope (PCO has only ever been seen sending one)."""
    return [_load_one(item) for item in _deliveries(envelope)]


def load_event_delivery(envelope) -> dict:
    """The single EventDelivery of an envelope; more than one is refused, not dropped."""
    items = _deliveries(envelope)
    if len(items) != 1:
        raise _reject(f"expected one delivery, got {len(items)} (use load_event_deliveries)")
    return _load_one(items[0])


class WebhookSubscriptionAttributes(AttributesSchema):
    name = fields.String(required=True, validate=[validate.Length(min=1, max=120), plain_text])
    url = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))
    active = fields.Boolean(load_default=True)
    authenticity_secret = fields.String(required=True,
                                        validate=[validate.Length(min=1, max=200), plain_text])


_SUBSCRIPTION = WebhookSubscriptionAttributes()


SUBSCRIPTION_TYPES = ("WebhookSubscription", "Subscription")  # 2022-10-20, and before it


def load_webhook_subscription(resource) -> dict:
    """A Webhooks v2 WebhookSubscription (or Subscription, its name before 2022-10-20): one
    event name, its delivery URL and its secret."""
    given = resource.get("type") if isinstance(resource, dict) else None
    expected = given if given in SUBSCRIPTION_TYPES else SUBSCRIPTION_TYPES[0]
    envelope, subscription = load_resource(resource, expected, _SUBSCRIPTION)
    return {"pco_id": envelope["id"], **subscription}
