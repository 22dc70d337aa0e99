"""A preview: a pull or push run through its own code, with nothing written that lasts.

While `isolated(recorder)` is open, `db.session` (Flask-SQLAlchemy's scoped session) is a plain
SQLAlchemy Session whose work is thrown away at the end; Flask-SQLAlchemy's own Session would
ignore a session-level bind, hence the plain one.
- PostgreSQL: the session runs on a connection whose outer transaction is rolled back at the
  end; the code's commits become savepoints (join_transaction_mode="create_savepoint").
- SQLite: it allows one writer at a time, and a transaction held for the whole preview would
  block the app's webhooks and status polls; the session runs on a copy of the database file
  (sqlite3's backup API), deleted at the end.
The run's row stays in the original session (lifecycle uses the session each row belongs to),
so its counters go on updating live for the Sync page. The PCO side is the preview client's
(pco/preview.py): reads are sent, writes recorded. What the preview would do is its run's
`report`: the changes here (changes.ChangeLog), the writes to PCO, the issues it would file and
whether the guard would stop the real run.
"""
import contextlib
import logging
import os
import sqlite3
import tempfile

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from ...extensions import db
from .changes import ChangeLog

log = logging.getLogger("pcosync.runs")
FIRST_ISSUES = 100


class PreviewRecorder:
    """What one preview run would do; `report()` is the JSON its run row keeps."""

    def __init__(self, client):
        self.client = client
        self.changes = ChangeLog()
        self.issues = []
        self.issue_count = 0
        self.guard = None
        self.notes = {}  # what the run tells a preview besides (Progress.tell_preview)

    def issue(self, record_type, reason, pco_id=None, local_id=None):
        self.issue_count += 1
        if len(self.issues) < FIRST_ISSUES:
            self.issues.append({"record_type": record_type, "reason": reason[:2000],
                                "pco_id": pco_id, "local_id": local_id})

    def guard_would_stop(self, message):
        """The real run would stop here; the preview goes on to show everything it would do."""
        self.guard = self.guard or message

    def report(self):
        return {"changes": self.changes.summary(), "pco_writes": self.client.would_be_writes(),
                "issues": {"total": self.issue_count, "first": list(self.issues)},
                "guard": self.guard, **self.notes}


@contextlib.contextmanager
def isolated(recorder):
    """`db.session` writes nothing lasting inside this block (nothing changes for None)."""
    if recorder is None:
        yield
        return
    original = db.session()
    with throwaway_session(db.engine) as session:
        recorder.changes.watch(session)
        db.session.registry.set(session)
        try:
            yield
        finally:
            db.session.registry.set(original)


@contextlib.contextmanager
def throwaway_session(engine):
    if engine.dialect.name == "sqlite":
        with _on_a_copy(engine) as session:
            yield session
    else:
        with _rolled_back(engine) as session:
            yield session


@contextlib.contextmanager
def _rolled_back(engine):
    connection = engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()


@contextlib.contextmanager
def _on_a_copy(engine):
    handle, path = tempfile.mkstemp(prefix="pcosync-preview-", suffix=".db")
    os.close(handle)
    copy = None
    try:
        _backup(engine, path)
        copy = create_engine(f"sqlite:///{path}")
        session = Session(bind=copy)
        try:
            yield session
        finally:
            session.close()
    finally:
        if copy is not None:
            copy.dispose()
        for suffix in ("", "-wal", "-shm", "-journal"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path + suffix)


def _backup(engine, path):
    """A consistent copy of the database while the app goes on using it (one backup step)."""
    source = engine.raw_connection()
    try:
        target = sqlite3.connect(path)
        try:
            source.driver_connection.backup(target)
        finally:
            target.close()
    finally:
        source.close()
    log.info("preview database copied path=%s bytes=%s", path, os.path.getsize(path))
