"""Whether a page of a listing wrote anything, and so whether it must be committed on its own.

A pull where nothing changed in PCO reads page after page and writes nothing but the run's
counters. Committing each such page cost two round trips of its own (the run's UPDATE and
the COMMIT, plus psycopg's BEGIN for the next): across a network, more than the page's one
read. Such a page's counters wait instead for the next page that writes, or for
QUIET_SECONDS to pass, so the Sync page's progress and a cancel request are at most that
late; a page that wrote anything is committed as before. The run's heartbeat beats from its
own thread (lifecycle.Heartbeat), so a quiet run never looks dead.

What "wrote" means is decided per statement, at the cursor: every statement that is not a
plain SELECT (an INSERT, an UPDATE, a lock taken with FOR UPDATE or an advisory lock) marks
the connection's transaction as one that must be committed. The counters a quiet page leaves
unsaved are held out of the next page's autoflush (its UPDATE would lock the run's row and
make that page one that wrote) and written by the next commit, whichever it is.
"""
import time

from sqlalchemy import event, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified, set_committed_value

QUIET_SECONDS = 1.0  # how long an unchanged page's counters may wait for a commit
_WROTE, _HELD = "pcosync_wrote", "pcosync_held"
LOCKS = (" FOR UPDATE", " FOR SHARE", " FOR NO KEY UPDATE", " FOR KEY SHARE", "PG_ADVISORY")


def only_reads(statement):
    """A plain SELECT, taking no lock: what a page may leave uncommitted."""
    head = statement.lstrip()[:6].upper()
    return head == "SELECT" and not any(lock in statement.upper() for lock in LOCKS)


@event.listens_for(Engine, "begin")
def _transaction_began(conn):
    conn.info[_WROTE] = False


@event.listens_for(Engine, "before_cursor_execute")
def _statement_sent(conn, _cursor, statement, _parameters, _context, _executemany):
    if not conn.info.get(_WROTE) and not only_reads(statement):
        conn.info[_WROTE] = True


def page_only_read(session, runs):
    """Whether `session`'s transaction so far only read, and all it holds unsaved is the
    counters of `runs`."""
    if session.new or session.deleted or any(obj not in runs for obj in session.dirty):
        return False
    if session.get_transaction() is None:
        return True
    return not session.connection().info.get(_WROTE, True)


def hold(session, runs):
    """Make the unsaved values of `runs` look saved until the next commit writes them."""
    held = session.info.setdefault(_HELD, set())
    for run in runs:
        for attr in inspect(run).attrs:
            if attr.history.has_changes():
                held.add((run, attr.key))
                set_committed_value(run, attr.key, attr.value)


@event.listens_for(Session, "before_commit")
def release(session):
    """What quiet pages held back goes into this commit's flush."""
    for run, key in session.info.pop(_HELD, ()):
        flag_modified(run, key)


@event.listens_for(Session, "after_soft_rollback")
def _forget_held(session, _previous_transaction):
    session.info.pop(_HELD, None)  # the rollback expired the rows: they read what was saved


class CommitPacer:
    """When the last commit was, and whether a page that only read may skip its own."""

    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.committed_at = clock()

    def skipped(self, session, runs):
        """Whether the page may go without its commit; if so, its counters are held."""
        if self.clock() - self.committed_at >= QUIET_SECONDS or not page_only_read(session, runs):
            return False
        hold(session, runs)
        return True

    def committed(self):
        self.committed_at = self.clock()
