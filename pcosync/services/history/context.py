"""Who is writing: the source, run or webhook delivery and user the history records with each
change. The run executor, the webhook batch, the directory and the review queue say so with
`recording(...)`; ORM code that says nothing is recorded with source "other".

A flush can come later than the code that made its changes (the webhook batch applies a chunk
of deliveries and flushes once): `recording` stamps the changes still pending when its block
ends with its own context, so each row names the delivery that made it.
"""
import contextlib
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Optional

from ...models import ChangeSource

STAMPS = "history_stamps"  # session.info key: {InstanceState: Context}


@dataclass(frozen=True)
class Context:
    source: str = ChangeSource.OTHER
    run_id: Optional[int] = None
    delivery_id: Optional[str] = None
    user_id: Optional[int] = None

    def columns(self):
        return {"source": str(self.source), "run_id": self.run_id,
                "delivery_id": self.delivery_id, "user_id": self.user_id}


NOBODY = Context()
_current = ContextVar("pcosync_history_context", default=NOBODY)
_enabled = ContextVar("pcosync_history_enabled", default=True)


def current():
    return _current.get()


def enabled():
    return _enabled.get()


@contextlib.contextmanager
def recording(source, run_id=None, delivery_id=None, user_id=None, session=None):
    """Changes made inside the block are recorded as `source`'s. `session`: stamp what is
    still unflushed there at the end (for code that flushes later, outside the block)."""
    context = Context(source, run_id, delivery_id, user_id)
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)
        if session is not None:
            stamp_pending(session, context)


def enter(source, user_id=None):
    """`recording` for the length of a request: the token goes to `leave` at its end."""
    return _current.set(Context(source, user_id=user_id))


def leave(token):
    _current.reset(token)


@contextlib.contextmanager
def paused():
    """Nothing written inside the block is recorded (the benchmarks' "history off")."""
    token = _enabled.set(False)
    try:
        yield
    finally:
        _enabled.reset(token)


def stamp_pending(session, context):
    stamps = session.info.setdefault(STAMPS, {})
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        stamps.setdefault(_state(obj), context)


def context_of(session, obj):
    stamps = session.info.get(STAMPS)
    found = stamps.get(_state(obj)) if stamps else None
    return found or current()


def forget_stamps(session):
    session.info.pop(STAMPS, None)


def _state(obj):
    from sqlalchemy import inspect

    return inspect(obj)
