"""Offset listings read with several requests in flight.

Read one request after another, a listing sends its requests as fast as PCO answers: at PCO's
answer times (150 ms or more a page) about 100 a quarter of a minute, so a paced Full Sync's
windows go out spread over most of their 20 s, and the limiter's sliding window repeats that
spread to the end of the run. An offset listing tells its length on its first page
(`meta.total_count`), and from then on every page's offset is known: IN_FLIGHT chains take
the next page from one plan, each on a read-ahead thread (prefetch.read_ahead_all), and none
waits for another's answer. A page past the plan (the listing grew while it was read: its
last planned page came back with a next link) is added to the plan; a listing without a
count is followed by its next links. Pages come in no set order. Every request still goes
through the client's transport: the rate limiter (with its share for deep offsets), retries.
"""
import threading
from collections import deque
from collections.abc import Iterator, Sequence

from .jsonapi import resolve_document
from .pages import Page, as_list, next_link, total_count

IN_FLIGHT = 4  # PCO limits requests per window, not at once; 4 send a window's in ~4 s at 150 ms


class Plan:
    """The pages still to ask for, (listing, offset), first pages first, and how many asked
    pages may still add to it."""

    def __init__(self, listings: Sequence, per_page: int):
        self.listings, self.per_page = listings, per_page
        self.todo = deque((index, 0) for index in range(len(listings)))
        self.last_planned = {index: 0 for index in range(len(listings))}
        self.asked, self.changed = 0, threading.Condition()

    def take(self):
        """The next page to ask for; None when there is none and none can be added."""
        with self.changed:
            while not self.todo and self.asked:
                self.changed.wait()
            if not self.todo:
                return None
            self.asked += 1
            return self.todo.popleft()

    def answered(self, index, offset, total, more) -> None:
        """After a page (or its failure, `more` False): the pages it tells of."""
        with self.changed:
            self.asked -= 1
            last = self.last_planned[index]
            if offset == 0 and total is not None:
                self._plan(index, range(self.per_page, total, self.per_page))
            if more and offset == self.last_planned[index] == last:
                self._plan(index, [offset + self.per_page])
            self.changed.notify_all()

    def _plan(self, index, offsets):
        offsets = [offset for offset in offsets if offset > self.last_planned[index]]
        self.todo.extend((index, offset) for offset in offsets)
        if offsets:
            self.last_planned[index] = offsets[-1]


def read_in_flight(client, listings: Sequence[tuple[str, dict, tuple]],
                   in_flight: int = IN_FLIGHT) -> Iterator:
    """The pages of every listing (path, params, include) by offset, `in_flight` requests at
    once, read ahead (close the iterator when leaving early, to join the threads)."""
    from .client import PER_PAGE

    plan = Plan(listings, PER_PAGE)
    chains = [_chain(client, plan) for _ in range(max(1, in_flight))]
    return client.read_ahead(*chains)


def _chain(client, plan):
    while (step := plan.take()) is not None:
        index, offset = step
        path, params, include = plan.listings[index]
        query = {**params, "per_page": plan.per_page, **({"offset": offset} if offset else {})}
        if include:
            query["include"] = ",".join(include)
        total, more = None, False
        try:
            body = client._expect_document(client.get(path, query), path)
            total, more = total_count(body), next_link(body) is not None
        finally:  # a failure ends the listing's plan here; the error reaches the caller
            plan.answered(index, offset, total, more)
        yield Page(records=as_list(resolve_document(body)), total_count=total, offset=offset,
                   listing=index)
