"""The small lookup tables every record of a page compares against (PCO's choice lists and the
campuses, the custom-field definitions, the church's name equivalences): read once per
transaction, since another process may change them between two. A pull keeps them across its
page commits instead (`kept_across_commits`): reading them again cost a few of a page's round
trips, and what the pull itself adds goes into them as it writes. A rollback always drops
them (what was learned in it is gone), and an admin's change made during a pull counts from the
next run."""
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.orm import Session

from ...extensions import db

_KEEP = "pcosync.lookups_kept"
_KEYS = "pcosync.lookup_keys"


def cached(key, load):
    """`load()`'s result, kept under `key` until the transaction ends (or the pull does)."""
    info = db.session.info
    if key not in info:
        info[key] = load()
        info.setdefault(_KEYS, set()).add(key)
    return info[key]


def forget(key, session=None):
    (session or db.session()).info.pop(key, None)


@contextmanager
def kept_across_commits():
    """For the block (a pull's pages), the lookups survive commits."""
    session = db.session()
    session.info[_KEEP] = True
    try:
        yield
    finally:
        session.info.pop(_KEEP, None)
        _forget_all(session)


@event.listens_for(Session, "after_commit")
def _after_commit(session):
    if not session.info.get(_KEEP):
        _forget_all(session)


@event.listens_for(Session, "after_rollback")
def _forget_all(session):
    for key in session.info.pop(_KEYS, ()):
        session.info.pop(key, None)
