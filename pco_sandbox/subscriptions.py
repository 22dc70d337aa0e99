"""Webhook subscriptions of the sandbox's one user: one event name each, its delivery URL and an
authenticity secret of its own, as PCO gives them (Webhooks v2).

Subscriptions are made through the API (POST .../webhook_subscriptions, as pcosync's "Set up
webhooks" does) or, as a test and demo shortcut, by the `webhook_url` + `webhook_secret`
settings: those stand for the subscriptions an admin made by hand in PCO's UI for the usual
events and pasted one known secret from; they share that secret. Every delivery is signed
with the secret of the subscription it is sent for.
"""
import secrets
import threading
import time

# What PCO offers for People and Groups (facts 3.2), for create's validation.
_PEOPLE = ("person", "email", "phone_number", "address", "household", "field_datum",
           "field_definition", "list", "note", "workflow_card")
AVAILABLE_EVENTS = frozenset(
    [f"people.v2.events.{kind}.{action}" for kind in _PEOPLE
     for action in ("created", "updated", "destroyed")]
    + ["people.v2.events.person_merger.created", "people.v2.events.list.refreshed",
       "people.v2.events.list_result.created", "people.v2.events.list_result.destroyed"]
    + [f"groups.v2.events.{kind}.{action}" for kind in ("group", "membership")
       for action in ("created", "updated", "destroyed")])
# The shortcut's subscriptions: every event the sandbox sends but merges.
HAND_MADE_EVENTS = tuple(
    f"{prefix}.{action}" for prefix in (
        "people.v2.events.person", "people.v2.events.email", "people.v2.events.phone_number",
        "people.v2.events.address", "people.v2.events.household", "groups.v2.events.membership",
        "people.v2.events.field_datum", "people.v2.events.field_definition")
    for action in ("created", "updated", "destroyed")) + (
    "people.v2.events.list_result.created", "people.v2.events.list_result.destroyed",
    "people.v2.events.list.refreshed")
APPLICATION_ID = "sandbox"


def new_secret():
    return secrets.token_hex(32)  # 64 hex characters, like PCO's


class SubscriptionTable:
    """Thread-safe rows by id; ids only grow, like PCO's."""

    def __init__(self, clock=time.time):
        self.lock = threading.RLock()
        self.rows = {}
        self._next_id = 1
        self._clock = clock

    def now(self):
        return int(self._clock())

    def create(self, name, url, active=True, secret=None, hand_made=False):
        with self.lock:
            now = self.now()
            row = {"id": self._next_id, "name": name, "url": url, "active": bool(active),
                   "authenticity_secret": secret or new_secret(),
                   "application_id": APPLICATION_ID, "created_at": now, "updated_at": now,
                   "hand_made": hand_made}
            self.rows[row["id"]] = row
            self._next_id += 1
            return row

    def get(self, subscription_id):
        with self.lock:
            return self.rows.get(subscription_id)

    def set_active(self, subscription_id, active):
        with self.lock:
            row = self.rows[subscription_id]
            if row["active"] != bool(active):
                row.update(active=bool(active), updated_at=self.now())
            return row

    def delete(self, subscription_id):
        with self.lock:
            return self.rows.pop(subscription_id, None)

    def rotate_secret(self, subscription_id):
        """A new secret at once: every delivery from now on is signed with it."""
        with self.lock:
            row = self.rows[subscription_id]
            row.update(authenticity_secret=new_secret(), updated_at=self.now())
            return row

    def listed(self):
        with self.lock:
            return list(self.rows.values())

    def active_for(self, event_name):
        with self.lock:
            return [dict(row) for row in self.rows.values()
                    if row["active"] and row["name"] == event_name and row["url"]]

    def configure_hand_made(self, url, secret):
        """The `webhook_url` + `webhook_secret` shortcut: replace its subscriptions."""
        with self.lock:
            for row in [r for r in self.rows.values() if r["hand_made"]]:
                del self.rows[row["id"]]
            if url and secret:
                for name in HAND_MADE_EVENTS:
                    self.create(name, url, secret=secret, hand_made=True)

    def any_active(self):
        with self.lock:
            return any(row["active"] and row["url"] for row in self.rows.values())
