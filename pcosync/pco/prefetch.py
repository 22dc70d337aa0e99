"""Reading a listing up to N pages ahead of the caller working on them.

PCO's limit, and our limiter (ratelimit.py), is a sliding window: a request's slot frees a
window after it was sent. Reading one page ahead sent requests at the pace pages were
processed, so a slow step (Notes, Households) spread a window's requests over the whole window,
and the next window's budget then freed at that same slow pace even for a step that could go
faster: the slowness echoed window after window, a paced Full Sync ending well over the floor.
Read up to N pages ahead (PCO_READ_AHEAD_PAGES), a window's requests go out in a burst whatever
the processing speed, and the processing catches up within the window.

A producer thread per listing runs the listing's own page generator (the one that asks PCO for
a page, computes the next request from it, and yields the page) and hands the pages over
through a queue; several producers can share one queue and one depth (read_ahead_all: a
listing read from both ends, both_ends.py, or with several requests in flight, in_flight.py).
A producer takes a slot before each page and the caller gives it back when it takes the page,
so at most N pages are fetched and not yet taken (memory: N pages of 100 records, a
page of people with what it includes about 1.5 MiB once read; the queue fills only where PCO
answers faster than the pages are written, as with the limit off).
Every request still goes through the client's transport and its rate limiter; a body cut off is
asked again there, with the retries. An error the producer meets is raised where the caller
asks for that page, the pages before it delivered. Closing the listing (done, error, cancel)
stops the producer and joins it: the request in flight, or its wait for the budget, ends first,
so a cancelled run spends at most N requests for nothing.
A listing started inside `telling(callback)` calls `callback` (from its last producer's thread)
once every page has been read: its caller still has pages to write, and a run may use the
slots of PCO's limit meanwhile (early_reads.py).
"""
import logging
import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager

READ_AHEAD_PAGES = 30  # PCO_READ_AHEAD_PAGES's default (config.py)
THREAD_NAME = "pco-prefetch"
_DONE = object()
_telling = threading.local()
log = logging.getLogger("pcosync.pco")


@contextmanager
def telling(callback):
    """The listings read ahead that start in this block call `callback` once read to the end."""
    before = getattr(_telling, "callback", None)
    _telling.callback = callback
    try:
        yield
    finally:
        _telling.callback = before


class _Failure:
    """The producer's error, carried to where the caller asks for the page it was getting."""

    def __init__(self, error: BaseException):
        self.error = error


class Producer:
    """Runs a page generator on a thread of its own, taking a slot before each page; several
    producers may share the slots and the queue (a listing read from both ends)."""

    def __init__(self, pages: Iterator, slots: threading.Semaphore, handover: queue.SimpleQueue,
                 read=None):
        self._pages, self._slots, self._queue, self._read = pages, slots, handover, read
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name=THREAD_NAME, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def signal_stop(self) -> None:
        """Ask the producer to stop (every producer sharing the slots first, then join each:
        a slot freed for one must not let another read a page for nothing)."""
        self._stopping.set()
        self._slots.release()  # wakes a producer waiting for a slot

    def join(self) -> None:
        """Wait for the thread to end (after the request in flight, if any)."""
        if self._thread.ident is not None:
            self._thread.join()

    def _run(self) -> None:
        try:
            while True:
                self._slots.acquire()
                if self._stopping.is_set():
                    return
                try:
                    page = next(self._pages)
                except StopIteration:
                    self._queue.put(_DONE)
                    if self._read is not None:
                        self._read()
                    return
                except BaseException as error:  # raised again in the caller's thread
                    self._queue.put(_Failure(error))
                    return
                self._queue.put(page)
        finally:
            self._pages.close()  # a generator is closed by the thread running it


def read_ahead_all(listings, depth: int = READ_AHEAD_PAGES) -> Iterator:
    """The pages of every iterator in `listings`, each read on a thread of its own (started on
    the first page asked for), together at most `depth` pages ahead of the caller, in the order
    they arrive; the first error any of them meets is raised where the caller asks for the next
    page. Close the iterator when leaving it early, to join the threads."""
    slots, handover = threading.Semaphore(max(1, depth)), queue.SimpleQueue()
    read = _countdown(len(listings), getattr(_telling, "callback", None))
    producers = [Producer(pages, slots, handover, read) for pages in listings]
    for producer in producers:
        producer.start()
    running = len(producers)
    try:
        while running:
            item = wait(handover)
            slots.release()
            if isinstance(item, _Failure):
                raise item.error
            if item is _DONE:
                running -= 1
                continue
            yield item
    finally:
        for producer in producers:
            producer.signal_stop()
        for producer in producers:
            producer.join()


def _countdown(listings, callback):
    """What each producer calls when its listing ends: `callback` once they all have."""
    if callback is None:
        return None
    left, lock = [listings], threading.Lock()

    def one_read():
        with lock:
            left[0] -= 1
            if left[0]:
                return
        try:
            callback()
        except Exception:  # what the caller hears of the listing never fails it
            log.exception("a listing's read-to-the-end callback failed")
    return one_read


class Started:
    """A listing whose first page is already asked for (and its read-ahead threads running), so
    the caller's own requests meanwhile go side by side with the listing's. Iterate it (the
    first page, then the rest) or close it."""

    def __init__(self, pages: Iterator):
        self._pages = pages
        self._first = next(pages, _DONE)

    def __iter__(self):
        first, self._first = self._first, _DONE
        if first is not _DONE:
            yield first
        yield from self._pages

    def close(self) -> None:
        self._pages.close()


def wait(pages: queue.SimpleQueue):
    """The next item the producer handed over (the time spent here is time waiting on PCO)."""
    return pages.get()
