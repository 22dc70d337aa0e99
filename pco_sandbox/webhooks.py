"""Signed PCO webhook deliveries, sent from a background thread.

The payload is built the moment the store changes (inside the store lock, so it shows the
record exactly as changed), then queued; the API answer never waits for the receiver.
Each active subscription to the event gets its own delivery, signed when it is sent with that
subscription's secret (so a rotated secret signs everything sent after the rotation).
A delivery answered with anything but 200 is retried with the same id and attempt+1;
a 410 deactivates the subscription, as PCO does.
"""
import hashlib
import heapq
import hmac
import itertools
import json
import threading
import time
import uuid

import requests

from . import jsonapi
from .records import iso

DEFAULT_RETRY_DELAYS = (0.5, 1.0, 2.0)
LOG_LIMIT = 5000


def sign(secret, body):
    """X-PCO-Webhooks-Authenticity: hex HMAC-SHA256 of the exact body bytes."""
    key = secret.encode("utf-8") if isinstance(secret, str) else secret
    return hmac.new(key, body, hashlib.sha256).hexdigest()


def event_payload(event, ctx):
    """The inner `payload` object; destroyed events carry ids, relationships and their own
    link only (as in PCO's captured deliveries)."""
    if event.destroyed:
        resource = jsonapi.serialize(event.kind, event.record, ctx)
        data = {"type": resource["type"], "id": resource["id"],
                "relationships": resource.get("relationships", {}),
                "links": {"self": resource["links"]["self"]}}
        return {"data": data, "meta": {"parent": jsonapi.organization_parent(ctx)}}
    document = jsonapi.single_document(event.kind, event.record, ctx)
    document["meta"].update(event_time=iso(event.at), idempotency_token=str(uuid.uuid4()))
    if event.kind == "addresses":
        document["data"]["attributes"] = street_in_one(document["data"]["attributes"])
    return document


def street_in_one(attributes):
    """PCO's address payloads name the street in one `street` (lines joined by a newline), not
    `street_line_1` and `street_line_2` as its API's answers do."""
    lines = [attributes.pop(key, None) for key in ("street_line_1", "street_line_2")]
    street = "\n".join(line for line in lines if line) or None
    return dict(sorted({**attributes, "street": street}.items()))


def delivery_body(delivery):
    envelope = {"data": [{
        "id": delivery["id"], "type": "EventDelivery",
        "attributes": {"name": delivery["name"], "attempt": delivery["attempt"],
                       "payload": delivery["payload"]},
        "relationships": {"organization": {"data": {
            "type": "Organization", "id": delivery["organization_id"]}}},
    }]}
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class WebhookDispatcher:
    def __init__(self, context_provider, log, subscriptions, retry_delays=DEFAULT_RETRY_DELAYS,
                 timeout=5.0):
        self._context = context_provider
        self.log = log  # the store's sent_deliveries list
        self.subscriptions = subscriptions  # a SubscriptionTable
        self.retry_delays = tuple(retry_delays)
        self.timeout = timeout
        self.url = self.secret = None  # the hand-made subscriptions' shortcut settings
        self.deactivated = False
        self._queue = []
        self._sequence = itertools.count()
        self._in_flight = 0
        self._condition = threading.Condition()
        self._worker = None
        self.counters = {"sent": 0, "delivered": 0, "failed": 0, "retried": 0}

    def configure(self, url, secret):
        """The shortcut: subscriptions to the usual events at `url`, all with `secret`."""
        with self._condition:
            self.url, self.secret = url, secret
            self.deactivated = False
            self.subscriptions.configure_hand_made(url, secret)

    @property
    def enabled(self):
        return self.subscriptions.any_active()

    def on_change(self, event):
        """Store listener: freeze the payload now, deliver later (one per subscription)."""
        targets = self.subscriptions.active_for(event.name)
        if not targets:
            return
        ctx = self._context()
        payload = json.dumps(event_payload(event, ctx), ensure_ascii=False,
                             separators=(",", ":"))
        for subscription in targets:
            delivery = {
                "id": str(uuid.uuid4()), "name": event.name, "attempt": 1, "payload": payload,
                "organization_id": str(ctx.organization["id"]), "event_time": iso(event.at),
                "subscription_id": subscription["id"],
            }
            self._schedule(delivery, due=time.monotonic())

    def _schedule(self, delivery, due):
        with self._condition:
            heapq.heappush(self._queue, (due, next(self._sequence), delivery))
            self._start_worker()
            self._condition.notify_all()

    def _start_worker(self):
        if self._worker is None or not self._worker.is_alive():
            self._worker = threading.Thread(target=self._run, name="sandbox-webhooks",
                                            daemon=True)
            self._worker.start()

    def _run(self):
        while True:
            delivery = self._next_due()
            try:
                self._deliver(delivery)
            finally:
                with self._condition:
                    self._in_flight -= 1
                    self._condition.notify_all()

    def _next_due(self):
        with self._condition:
            while True:
                if self._queue:
                    wait = self._queue[0][0] - time.monotonic()
                    if wait <= 0:
                        self._in_flight += 1
                        return heapq.heappop(self._queue)[2]
                    self._condition.wait(wait)
                else:
                    self._condition.wait()

    def _deliver(self, delivery):
        subscription = self.subscriptions.get(delivery["subscription_id"])
        if subscription is None or not subscription["active"]:
            return  # deleted or deactivated meanwhile: PCO sends nothing more for it
        url, secret = subscription["url"], subscription["authenticity_secret"]
        body = delivery_body(delivery)
        headers = self._headers(delivery, body, secret)
        status, error = self._post(url, body, headers)
        self._record(delivery, url, body, headers, status, error)
        if status == 410:
            self.subscriptions.set_active(subscription["id"], False)
            self.deactivated = self.deactivated or subscription["hand_made"]
        elif status != 200 and delivery["attempt"] <= len(self.retry_delays):
            self.counters["retried"] += 1
            delay = self.retry_delays[delivery["attempt"] - 1]
            retry = dict(delivery, attempt=delivery["attempt"] + 1)
            self._schedule(retry, due=time.monotonic() + delay)

    def _headers(self, delivery, body, secret):
        return {
            "Content-Type": "application/json",
            "User-Agent": "PCO-Webhooks/sandbox",
            "X-PCO-Webhooks-Authenticity": sign(secret, body),
            "X-PCO-Webhooks-Name": delivery["name"],
            "X-PCO-Webhooks-Event": delivery["name"],
            "X-PCO-Webhooks-Event-ID": delivery["id"],
            "X-PCO-Webhooks-Event-Time": delivery["event_time"],
        }

    def _post(self, url, body, headers):
        try:
            response = requests.post(url, data=body, headers=headers, timeout=self.timeout)
            return response.status_code, None
        except requests.RequestException as exc:
            return None, f"{type(exc).__name__}: {exc}"

    def _record(self, delivery, url, body, headers, status, error):
        self.counters["sent"] += 1
        self.counters["delivered" if status == 200 else "failed"] += 1
        self.log.append({
            "id": delivery["id"], "name": delivery["name"], "attempt": delivery["attempt"],
            "subscription_id": delivery.get("subscription_id"), "url": url, "status": status,
            "error": error, "sent_at": iso(int(time.time())),
            "headers": headers, "body": body.decode("utf-8"),
        })
        if len(self.log) > LOG_LIMIT:
            del self.log[:len(self.log) - LOG_LIMIT]

    def pending(self):
        with self._condition:
            return len(self._queue) + self._in_flight

    def wait_idle(self, timeout=10.0):
        """Block until nothing is queued or in flight; False on timeout (tests use this)."""
        deadline = time.monotonic() + timeout
        with self._condition:
            while self._queue or self._in_flight:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._condition.wait(remaining)
            return True

    def snapshot(self):
        return dict(self.counters, pending=self.pending(), enabled=self.enabled,
                    deactivated=self.deactivated, url=self.url,
                    subscriptions=len(self.subscriptions.listed()))
