"""Values the webhook endpoint needs on every delivery (the imported subscription secrets, the
connected organization), kept a few seconds per app instead of one query per delivery.

A change this process makes to those tables forgets every kept value at once (the session
events below); a change made by another process is seen within TTL seconds, which is harmless:
a delivery refused meanwhile is sent again by PCO, and a rotated secret stays valid an hour.
"""
import itertools
import time

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

from ...models import ConnectedOrganization, WebhookSubscription

TTL = 5.0
WATCHED = (WebhookSubscription, ConnectedOrganization)
_KEY = "pcosync_short_cache"
_generations = itertools.count()
_generation = next(_generations)


def cached(name, load):
    """`load()`'s value, read again after TTL seconds or after a change to WATCHED here."""
    kept = current_app.extensions.setdefault(_KEY, {})
    generation, now = _generation, time.monotonic()
    entry = kept.get(name)
    if entry is not None and entry[0] == generation and entry[1] > now:
        return entry[2]
    value = load()
    kept[name] = (generation, now + TTL, value)
    return value


def forget():
    global _generation
    _generation = next(_generations)


@event.listens_for(Session, "after_flush")
def _note_flushed(session, _context):
    changed = itertools.chain(session.new, session.dirty, session.deleted)
    if any(isinstance(item, WATCHED) for item in changed):
        session.info[_KEY] = True


@event.listens_for(Session, "do_orm_execute")
def _note_bulk_write(state):
    mapper = state.bind_mapper
    if (state.is_update or state.is_delete) and mapper is not None and \
            issubclass(mapper.class_, WATCHED):
        state.session.info[_KEY] = True


@event.listens_for(Session, "after_commit")
def _forget_committed(session):
    if session.info.pop(_KEY, False):
        forget()


@event.listens_for(Session, "after_rollback")
def _nothing_changed(session):
    session.info.pop(_KEY, None)
