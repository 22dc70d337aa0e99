"""The one registry of the webhook events the app handles: for each event name, its handler,
the re-read used when deliveries of one record stamped alike disagree (batch.coalesce), and
whether it is batch-safe. The batch (process.py), "Set up webhooks" (setup.handled_events) and
the health panel read it, so a new event is one declaration here. Contact point events are made
from the contact kinds (rules/contact_kinds), one created/updated/destroyed triple per kind.

Batch-safe: the handler's queries never need another record's unflushed changes (each record
is one group of the batch; collections are changed in memory), so it runs without autoflush
and the batch's writes go to the database together (a flush per delivery cost as much as the
rest of the delivery). Any other handler runs after a flush, with autoflush on. A re-read only
asks for PCO's record (reads.ReadFirst): it is declared only on batch-safe events.
"""
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable

from ..rules.contact_kinds import CONTACT_KINDS
from .handlers import (contacts, custom_fields, groups, households, mergers, notes, people,
                       scope)

PEOPLE_EVENTS, GROUPS_EVENTS = "people.v2.events", "groups.v2.events"
CHANGED = ("created", "updated")


@dataclass(frozen=True)
class WebhookEvent:
    name: str  # PCO's event name, e.g. "<app>.v2.events.<resource>.<action>"
    handler: Callable  # (client, payload, log) -> a short outcome note
    reread: Callable | None = None  # same signature: reads PCO's record instead
    batch_safe: bool = False  # writes only what it reads (see above)


EVENTS: dict[str, WebhookEvent] = {}  # name -> declaration, in declaration order


def register(event):
    if event.name in EVENTS:
        raise ValueError(f"webhook event {event.name!r} is declared twice")
    if event.reread is not None and not event.batch_safe:
        raise ValueError(f"webhook event {event.name!r}: a re-read needs a batch-safe event")
    EVENTS[event.name] = event
    return event


def unregister(name):
    EVENTS.pop(name, None)


@contextmanager
def registered(event):
    """`event` handled for the time of the block (a test's throwaway event)."""
    register(event)
    try:
        yield event
    finally:
        unregister(event.name)


def find(name):
    """The declaration of an event the app handles, or None (not synced)."""
    return EVENTS.get(name)


def rereadable(name):
    event = EVENTS.get(name)
    return event is not None and event.reread is not None


def names():
    """Every handled event name, sorted."""
    return sorted(EVENTS)


def resource_events(app, resource, changed, destroyed=None, reread=None, batch_safe=True):
    """A resource's created and updated events (and destroyed, when it has a handler)."""
    declared = [WebhookEvent(f"{app}.{resource}.{action}", changed, reread, batch_safe)
                for action in CHANGED]
    if destroyed is not None:
        declared.append(WebhookEvent(f"{app}.{resource}.destroyed", destroyed, None, batch_safe))
    return declared


def _declarations():
    yield from resource_events(PEOPLE_EVENTS, "person", people.person_changed,
                               people.person_destroyed, people.person_reread)
    yield WebhookEvent(f"{PEOPLE_EVENTS}.person_merger.created", mergers.person_merged)
    for kind in CONTACT_KINDS:
        yield from resource_events(PEOPLE_EVENTS, kind.event_resource, contacts.contact_changed,
                                   contacts.contact_destroyed, contacts.contact_reread)
    yield from resource_events(PEOPLE_EVENTS, "household", households.household_changed,
                               households.household_destroyed, households.household_reread)
    yield from resource_events(GROUPS_EVENTS, "group", groups.group_changed,
                               groups.group_destroyed)
    yield from resource_events(GROUPS_EVENTS, "membership", groups.membership_changed,
                               groups.membership_destroyed)
    yield from resource_events(PEOPLE_EVENTS, "field_datum", custom_fields.field_datum_changed,
                               custom_fields.field_datum_destroyed, batch_safe=False)
    yield from resource_events(PEOPLE_EVENTS, "field_definition",
                               custom_fields.field_definition_changed,
                               custom_fields.field_definition_destroyed, batch_safe=False)
    # The sync scope's lists: people enter and leave it (handlers/scope.py).
    yield WebhookEvent(f"{PEOPLE_EVENTS}.list_result.created", scope.list_result_created)
    yield WebhookEvent(f"{PEOPLE_EVENTS}.list_result.destroyed", scope.list_result_destroyed)
    yield WebhookEvent(f"{PEOPLE_EVENTS}.list.refreshed", scope.list_refreshed)
    # PCO sends no note.updated: an edit made there comes with the next Notes step.
    yield WebhookEvent(f"{PEOPLE_EVENTS}.note.created", notes.note_created)
    yield WebhookEvent(f"{PEOPLE_EVENTS}.note.destroyed", notes.note_destroyed)


for _event in _declarations():
    register(_event)
