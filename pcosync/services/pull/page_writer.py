"""A page's new people written on a connection of their own while the run goes on to the next
page (PostgreSQL only).

On a first pull nearly every person is new, and a page's one INSERT (rules/bulk_create) was
its longest wait: about 17 ms of a 74 ms page on PostgreSQL 1 ms away, most of it the server
inserting into six tables, while the run's thread waited. Here a thread of the run sends that
INSERT, and commits it, while the run's thread reads and loads the next page. The run's own
transaction then only reads on such a page, so its commit waits for a later page
(runs/quiet_pages.py): two round trips fewer a page as well.

What keeps it safe:
- It takes only a page that wrote nothing else (no update, no issue, no review item, no new
  choice or campus: Progress.wrote_nothing) and whose new people need not be looked at again
  (no possible duplicate to file). Such a page has nothing the guard could roll back, and its
  INSERT refers only to committed rows: it never waits for a lock of the run's transaction
  while the run's thread waits for it. Any other page writes as before, in the run's own
  transaction.
- One page at a time, waited for only where the next page needs it: before its first read when
  it lists any of the same people, before its matcher when one of its people holds an email of
  someone being written (the matcher finds PCO's twins by email: people.PageOfPeople.take),
  else before the next page is handed over. The people a page makes are linked to PCO, so the
  matcher finds them by nothing else.
- Counted once written: a page's people go into the run's Created count once their INSERT has
  committed, so the run never counts people who are not there. A rollback of the run's
  transaction drops the counts it had not committed yet (a quiet page's), so they are counted
  again after it (count_again).
- An error of the INSERT is raised on the run's thread at the next wait and fails the run, as
  it did when the run sent it. However the listing ends, the writer is drained first: a page
  it wrote is counted, and committed with the run's counters even when the run fails. Only a
  worker killed outright (SIGKILL) can leave written people out of its failed run's count (up
  to a second's pages: runs/quiet_pages.py); they are there, and the next run finds them.
"""
import logging
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

from sqlalchemy import event

from ...extensions import db
from ..rules.merge import CREATED

log = logging.getLogger("pcosync.pull")


class PageWriter:
    """Sends one page's INSERT at a time from its own thread, on its own connection."""

    def __init__(self, engine, session):
        self.engine, self.session = engine, session
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="page-writer")
        self._in_flight = None  # (future, the page's PCO ids, their emails)
        self._connection = None  # the thread's own, once it has sent a page
        self._written = 0  # people written, not counted yet
        self._uncommitted = 0  # people counted since the run's last commit
        event.listen(session, "after_commit", self._counts_committed)

    def write(self, statement, pco_ids, emails):
        """Send `statement` ((SQL, parameters)) once the page before it is written; `pco_ids`
        and `emails`: its people's (matcher.emails_of)."""
        self.wait()
        self._in_flight = (self._thread.submit(self._send, statement), frozenset(pco_ids),
                           frozenset(emails))

    def _send(self, statement):
        if self._connection is None:
            # A statement alone is a transaction of its own: no BEGIN nor COMMIT to wait for.
            self._connection = self.engine.connect().execution_options(
                isolation_level="AUTOCOMMIT")
        sql, parameters = statement
        self._connection.exec_driver_sql(sql, parameters)

    def lists_any(self, pco_ids):
        """Whether the page being written holds any of `pco_ids`."""
        return self._in_flight is not None and not self._in_flight[1].isdisjoint(pco_ids)

    def holds_any_email(self, emails):
        """Whether someone of the page being written holds one of `emails`."""
        return self._in_flight is not None and not self._in_flight[2].isdisjoint(emails)

    def wait(self):
        """Until the page being written is committed; its error, if it failed, is raised here."""
        if self._in_flight is None:
            return
        future, pco_ids, _emails = self._in_flight
        self._in_flight = None
        future.result()
        self._written += len(pco_ids)

    def count(self, progress):
        """The people written since the last count go into the run's Created count."""
        if self._written:
            progress.count(CREATED, self._written)
            self._written, self._uncommitted = 0, self._uncommitted + self._written

    def _counts_committed(self, _session):
        self._uncommitted = 0

    def count_again(self, progress):
        """After the run's transaction was rolled back: count again what it had counted since
        its last commit (a quiet page's counters wait for a later commit: runs/quiet_pages.py),
        with what was written since; whether there was any."""
        self._written, self._uncommitted = self._written + self._uncommitted, 0
        had = self._written
        self.count(progress)
        return had

    def close(self):
        event.remove(self.session, "after_commit", self._counts_committed)
        self._thread.shutdown(wait=True)
        if self._connection is not None:
            self._connection.close()


@contextmanager
def page_writer(progress):
    """A PageWriter for a listing's pages, or None where pages are written as they go (not
    PostgreSQL, a preview). Drained when the listing ends, however it ends."""
    if not progress.bulk_writes or db.session.get_bind().dialect.name != "postgresql":
        yield None
        return
    writer = PageWriter(db.engine, db.session())
    try:
        yield writer
        writer.wait()
        writer.count(progress)
    except BaseException:
        _drain_after_failure(writer, progress)
        raise
    finally:
        writer.close()


def _drain_after_failure(writer, progress):
    """The run stopped (an error, a cancel, the guard): its unfinished page is dropped, as the
    run's end drops it (runs/execute._stop); the page the writer was sending is kept, and
    counted in the run's row with what the run had committed."""
    db.session.rollback()
    try:
        writer.wait()
    except Exception:  # the run fails on its own error; this one is for the log
        log.exception("a page's new people were not written")
    try:
        if writer.count_again(progress):
            db.session.commit()
    except Exception:  # the database is gone too: the run's own error is the one to report
        db.session.rollback()
        log.exception("the count of the people written was not saved")
