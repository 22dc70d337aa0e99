"""This PCO user's webhook subscriptions (Webhooks v2): list, create, re-activate, delete,
rotate a secret. No database here: callers store what they need.

PCO has served them under two names: /webhooks/v2/webhook_subscriptions (type
WebhookSubscription, version 2022-10-20, which the transport pins for /webhooks) and
/webhooks/v2/subscriptions (type Subscription, the older document). The first is tried first; a
PCO that answers it with 404 is asked for the second, and the name that answered is kept.
"""
from urllib.parse import quote

from .errors import PCOBadResponse, PCONotFound
from .jsonapi import document, resolve_document

COLLECTIONS = (("/webhooks/v2/webhook_subscriptions", "WebhookSubscription"),
               ("/webhooks/v2/subscriptions", "Subscription"))


# The name each PCO (by base URL) answered to, so later calls in this process ask it first.
_ANSWERED = {}


class WebhookSubscriptions:
    def __init__(self, client):
        self.client = client
        self.base_url = getattr(getattr(client, "transport", None), "base_url", None)
        self.path, self.type = None, None

    def list(self) -> list[dict]:
        """Every subscription (resolved resources, each with its authenticity_secret)."""
        known = _ANSWERED.get(self.base_url)
        for path, type_ in ([known] if known else []) + [c for c in COLLECTIONS if c != known]:
            try:
                records = [r for page in self.client.iter_pages(path) for r in page.records]
            except PCONotFound:
                continue
            self.path, self.type = path, type_
            _ANSWERED[self.base_url] = (path, type_)
            return records
        raise PCONotFound("PCO serves no webhook subscriptions API (neither "
                          "/webhooks/v2/webhook_subscriptions nor /webhooks/v2/subscriptions)")

    def create(self, name: str, url: str) -> dict:
        body = document(self._type(), {"name": name, "url": url, "active": True})
        return _resource(self.client.post(self.path, body), self.path)

    def activate(self, subscription_id) -> dict:
        path = self._item(subscription_id)
        body = document(self._type(), {"active": True}, resource_id=subscription_id)
        return _resource(self.client.patch(path, body), path)

    def delete(self, subscription_id) -> None:
        self.client.delete(self._item(subscription_id))

    def rotate_secret(self, subscription_id) -> dict:
        """PCO's rotate_secret action; the subscription with its new secret."""
        path = self._item(subscription_id)
        answer = self.client.post(path + "/rotate_secret", None)
        if not answer:  # an action may answer 204: read the subscription back
            answer = self.client.get(path)
        return _resource(answer, path)

    def _type(self):
        if self.path is None:
            self.list()
        return self.type

    def _item(self, subscription_id):
        self._type()
        return f"{self.path}/{quote(str(subscription_id), safe='')}"


def _resource(body, path):
    resource = resolve_document(body) if isinstance(body, dict) and "data" in body else None
    if not isinstance(resource, dict):
        raise PCOBadResponse(f"PCO returned no webhook subscription for {path}")
    return resource
