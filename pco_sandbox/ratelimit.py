"""PCO's rate limit: a sliding window of `limit` requests per `period` seconds per credential.

Requests at an offset past 30,000 get the stricter 75-in-100 share of the budget, as PCO
documents. A rejected request does not take a slot. The limiter also remembers the
Retry-After it last gave each credential, so the stats can show clients that came back
too early.
"""
import math
import threading
import time
from collections import deque
from dataclasses import dataclass

DEEP_OFFSET = 30_000
DEEP_OFFSET_SHARE = 0.75
# Sent as the limit when limiting is off, so header-paced clients run flat out.
UNLIMITED = 1_000_000
# Seconds after a 429 during which a request is taken as already on its way (a client with
# several requests in flight, pcosync/pco/in_flight.py): not counted as before_retry_after.
IN_FLIGHT_GRACE = 0.1


@dataclass
class Decision:
    allowed: bool
    limit: int
    count: int
    retry_after: float = 0


class RateLimiter:
    def __init__(self, limit=100, period=20, clock=time.monotonic):
        self.limit = int(limit)
        self.period = float(period)
        self._clock = clock
        self._lock = threading.Lock()
        self._windows = {}
        self._retry_deadlines = {}

    def configure(self, limit=None, period=None):
        with self._lock:
            if limit is not None:
                self.limit = int(limit)
            if period is not None:
                self.period = float(period)

    def arrived_too_early(self, credential):
        """True when the credential still owes time on a Retry-After we gave it, counted from
        IN_FLIGHT_GRACE after we gave it: a client with several requests in flight cannot
        call back those already on their way when the 429 reached it."""
        with self._lock:
            deadline = self._retry_deadlines.get(credential)
            now = self._clock()
            return deadline is not None and deadline[0] + IN_FLIGHT_GRACE <= now < deadline[1]

    def acquire(self, credential, deep_offset=False):
        with self._lock:
            now = self._clock()
            window = self._window(credential, now)
            if self.limit <= 0:
                window.append(now)
                return Decision(True, UNLIMITED, len(window))
            limit = self._limit_for(deep_offset)
            if len(window) >= limit:
                retry_after = self._seconds_until_free(window, limit, now)
                self._retry_deadlines[credential] = (now, now + retry_after)
                return Decision(False, limit, len(window) + 1, retry_after)
            window.append(now)
            return Decision(True, limit, len(window))

    def told_to_wait(self, credential, seconds):
        """Record a Retry-After given for another reason (an injected fake 429)."""
        with self._lock:
            now = self._clock()
            self._retry_deadlines[credential] = (now, now + seconds)

    def current(self, credential):
        with self._lock:
            window = self._window(credential, self._clock())
            limit = self.limit if self.limit > 0 else UNLIMITED
            return Decision(True, limit, len(window))

    def reset(self):
        with self._lock:
            self._windows.clear()
            self._retry_deadlines.clear()

    def _limit_for(self, deep_offset):
        return max(1, math.ceil(self.limit * DEEP_OFFSET_SHARE)) if deep_offset else self.limit

    def _window(self, credential, now):
        window = self._windows.setdefault(credential, deque())
        while window and window[0] <= now - self.period:
            window.popleft()
        return window

    def _seconds_until_free(self, window, limit, now):
        """Whole seconds until enough of the oldest requests leave the window."""
        oldest_blocking = window[len(window) - limit]
        return max(1, math.ceil(oldest_blocking + self.period - now))
