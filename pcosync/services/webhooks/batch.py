"""The worker's view of the waiting deliveries: each body parsed once, grouped by the record it
is about, and coalesced: deliveries waiting for the same record are applied once.

- The newest wins: the highest `updated_at`, then the latest event time (payloads.Moment); the
  others end ignored, with a note naming the delivery that was applied instead.
- A destroyed delivery wins over every other delivery of its record whatever their order: PCO
  never brings a deleted record back under its id, and a destroyed payload carries no time.
- Deliveries stamped alike that say different things (two edits in one second): which is newer
  cannot be told, so the record is read from PCO when its event has a re-read (events.py),
  else they are applied in the order they arrived.
Only deliveries of the same type and id are grouped, so coalescing never hides another record.
No database here: rows in, plans out.
"""
import json
from dataclasses import dataclass, field

from . import payloads

PEOPLE_FIRST = "Person"  # applied before the rest: contact points and memberships need them


@dataclass
class Waiting:
    """A recorded delivery as the worker reads it."""
    row_id: int
    delivery_id: str
    event_name: str
    payload: dict = None
    problem: str = None  # why the recorded body cannot be read (the delivery then fails)

    @property
    def destroyed(self):
        return self.event_name.endswith(".destroyed")


def read_row(row_id, delivery_id, event_name, body):
    """The recorded body was verified and checked on receipt: only its payload is parsed."""
    try:
        data = json.loads(body)["data"]
        item = data[0] if isinstance(data, list) else data
        payload = json.loads(item["attributes"]["payload"])
    except (ValueError, KeyError, IndexError, TypeError, RecursionError) as err:
        return Waiting(row_id, delivery_id, event_name, problem=f"unreadable body: {err!r}")
    if not isinstance(payload, dict):
        return Waiting(row_id, delivery_id, event_name, problem="the payload is not an object")
    return Waiting(row_id, delivery_id, event_name, payload)


@dataclass
class Group:
    key: tuple
    deliveries: list = field(default_factory=list)  # oldest first


def group_by_record(waiting):
    """One group per record (a delivery naming none is a group of its own); people first,
    then in the order the groups' first deliveries arrived."""
    groups = {}
    for delivery in sorted(waiting, key=lambda w: w.row_id):
        key = (payloads.record_key(delivery.payload) if delivery.payload else None) or (
            "delivery", delivery.row_id)
        groups.setdefault(key, Group(key)).deliveries.append(delivery)
    return sorted(groups.values(),
                  key=lambda g: (g.key[0] != PEOPLE_FIRST, g.deliveries[0].row_id))


@dataclass
class Plan:
    apply: list  # the deliveries to apply, in order
    reread: bool = False  # read the record from PCO instead of applying apply[0]'s payload
    coalesced: dict = field(default_factory=dict)  # row id -> note


def coalesce(group, rereadable):
    """What to do with one record's deliveries; `rereadable(event name)`: whether the record
    can be read from PCO when deliveries stamped alike disagree."""
    deliveries = group.deliveries
    if len(deliveries) == 1:
        return Plan([deliveries[0]])
    destroyed = [d for d in deliveries if d.destroyed]
    if destroyed:
        return _won_by(destroyed[-1], deliveries, "PCO deleted the record")
    newest = max(payloads.moment_of(d.payload) for d in deliveries)
    top = [d for d in deliveries if payloads.moment_of(d.payload) == newest]
    distinct = _distinct(top)
    if len(distinct) == 1:
        return _won_by(top[-1], deliveries, "it is newer or the same")
    if rereadable(top[-1].event_name):
        plan = _won_by(top[-1], deliveries, "stamped alike, they disagree: PCO's record is read")
        plan.reread = True
        return plan
    plan = _won_by(distinct[-1], deliveries, "stamped alike: applied in order of arrival")
    plan.apply = distinct
    plan.coalesced = {k: v for k, v in plan.coalesced.items()
                      if k not in {d.row_id for d in distinct}}
    return plan


def _distinct(deliveries):
    """The last delivery of each different content, in order of arrival."""
    last = {}
    for delivery in deliveries:
        content = json.dumps(payloads.content_of(delivery.payload), sort_keys=True, default=str)
        last.pop(content, None)
        last[content] = delivery
    return sorted(last.values(), key=lambda d: d.row_id)


def _won_by(winner, deliveries, why):
    note = f"coalesced into delivery {winner.delivery_id} ({winner.event_name}): {why}"
    return Plan([winner], coalesced={d.row_id: note for d in deliveries if d is not winner})
