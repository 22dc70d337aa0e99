"""A listing paged by created_at (stamp_paging.py), read from both ends at once.

Keyset paging asks for a page only once the page before it has arrived: one request in
flight. The limiter's window slides, so every window of a paced Full Sync goes out as spread
as the first one did, and the run ends that spread after its last window opens; with one
request in flight the spread is the first window's requests one after another (2.7 s of
People pages against the sandbox here; at PCO's answer times, 150 ms or more a page, most
of the window). Read as two chains, one from the oldest (`order=created_at`,
`where[created_at][gte]`) and one from the newest (`order=-created_at`,
`where[created_at][lte]`), the listing has two requests in flight. Each chain is bounded by
where the other has got to, so they stop where they meet:

- a bounded page with no next page: the chain read everything up to the other's position
  as it was when asked, and the other only moves towards it: the listing is read;
- positions crossed (or met at a second one of them read whole): the listing is read;
- when what is left fits one page, the chain that finds it so stops and leaves it to the
  other (which then runs to a page without a next one): no request is spent twice.

A record both chains see (ties, the meeting page) is yielded once. A second crowded past a
page is paged alone by offset, as one chain does. Pages arrive in no particular order.
"""
import threading

from .errors import PCOBadResponse
from .jsonapi import resolve_document
from .stamp_paging import STAMP, _id, _stamp, crowded_stamp


class End:
    """One chain's position: the last stamp it read (None before its first page) and whether
    every record at that stamp is read (`through`: after a crowded second)."""

    def __init__(self, ascending: bool):
        self.ascending, self.stamp, self.through, self.finished = ascending, None, False, False

    def query(self, base, other: "End") -> dict:
        mine, theirs = ("gt", "lt") if self.ascending else ("lt", "gt")
        query = {**base, "order": STAMP if self.ascending else f"-{STAMP}"}
        if self.stamp is not None:
            query[f"where[{STAMP}][{mine}{'' if self.through else 'e'}]"] = self.stamp
        if other.stamp is not None:
            query[f"where[{STAMP}][{theirs}{'' if other.through else 'e'}]"] = other.stamp
        return query

    def reached(self, stamp, through=False):
        self.stamp, self.through = stamp, through


class Meeting:
    """What the two chains share, under one lock: their positions, the ids yielded, whether
    the listing is read."""

    def __init__(self, per_page: int):
        self.lock = threading.Lock()
        self.low, self.high = End(True), End(False)
        self.per_page, self.yielded, self.offset = per_page, set(), 0
        self.total, self.done = None, False
        # The newest end starts once the oldest end's first page tells whether there is more
        # than a page (a listing of one page costs one request, as read by one chain).
        self.started = threading.Event()
        self.seconds = set()  # crowded seconds paged alone (by whichever end met one first)

    def other(self, end: End) -> End:
        return self.high if end is self.low else self.low

    def crossed(self) -> bool:
        low, high = self.low, self.high
        if low.stamp is None or high.stamp is None:
            return False
        return low.stamp > high.stamp or (low.stamp == high.stamp and (low.through or high.through))

    def leave_rest(self, end: End) -> bool:
        """True when `end` stops because what is left fits the other chain's next page (only
        while the other still goes on: one of them always reads to the end)."""
        other = self.other(end)
        left = (self.total or 0) - len(self.yielded)
        if self.total is not None and not other.finished and left <= self.per_page:
            end.finished = True
        return end.finished

    def fresh(self, records) -> tuple[list, int]:
        """The records not yielded yet, and the offset they start at."""
        fresh = [r for r in records if _id(r) not in self.yielded]
        self.yielded.update(_id(r) for r in fresh)
        offset, self.offset = self.offset, self.offset + len(fresh)
        return fresh, offset


def both_ends(client, path: str, base: dict) -> list:
    """The listing's two chains, page generators to read side by side (prefetch.read_ahead_all)."""
    from .client import PER_PAGE

    meeting = Meeting(PER_PAGE)
    return [_chain(client, path, base, meeting, meeting.low),
            _chain(client, path, base, meeting, meeting.high)]


def _chain(client, path, base, meeting, end):
    try:
        if not end.ascending:
            meeting.started.wait()
        yield from _pages(client, path, base, meeting, end)
    finally:
        meeting.started.set()  # also when the oldest end fails or is closed: never a hang


def _pages(client, path, base, meeting, end):
    from .client import Page, _as_list, _next_link, _total_count

    asked = None
    while True:
        with meeting.lock:
            if meeting.done or end.finished or meeting.leave_rest(end):
                return
            query = end.query(base, meeting.other(end))
        if query == asked:  # PCO ignoring the filter would page the same records forever
            raise PCOBadResponse(f"{path} answered the same page for {STAMP} {end.stamp}")
        asked = query
        body = client._expect_document(client.get(path, query), path)
        records, more = _as_list(resolve_document(body)), _next_link(body) is not None
        with meeting.lock:
            meeting.total = meeting.total if meeting.total is not None else _total_count(body)
            crowded = crowded_stamp(records, more)
            fresh, offset = meeting.fresh(records)
            alone = crowded is not None and crowded not in meeting.seconds
            if alone:
                meeting.seconds.add(crowded)
            if crowded is None:
                _advance(meeting, end, records, more)
        meeting.started.set()
        yield Page(records=fresh, total_count=meeting.total, offset=offset)
        if crowded is not None:
            if alone:  # else the other end is paging it: it will have read it all
                yield from _one_second(client, path, base, crowded, meeting)
            with meeting.lock:
                end.reached(crowded, through=True)
                meeting.done = meeting.done or meeting.crossed()


def _advance(meeting, end, records, more):
    """After a page: the chain's new position; the listing is read when the page was its last
    (bounded by the other chain or not) or the chains crossed."""
    last = next((stamp for stamp in map(_stamp, reversed(records)) if stamp), None)
    if records and last is None:
        raise PCOBadResponse(f"a record without {STAMP}: the listing cannot be paged by it")
    if last is not None:
        end.reached(last)
    if not more or not records or meeting.crossed():
        meeting.done = True


def _one_second(client, path, base, stamp, meeting):
    """The records created in one second, by offset, oldest first."""
    params = {key: value for key, value in base.items() if key not in ("per_page", "include")}
    params.update({"order": STAMP, f"where[{STAMP}]": stamp})
    include = base["include"].split(",") if base.get("include") else ()
    for page in client.iter_pages(path, params, include=include):
        with meeting.lock:
            fresh, offset = meeting.fresh(page.records)
        yield type(page)(records=fresh, total_count=meeting.total, offset=offset)
