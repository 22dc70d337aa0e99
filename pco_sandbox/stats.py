"""Counts of PCO API traffic, for tests and benchmarks (admin routes are not counted)."""
import re
import threading
from collections import Counter

VARIABLE = re.compile(r"<[^>]+>")


def route_template(rule):
    """"/people/v2/people/<int:person_id>" -> "/people/v2/people/<id>"."""
    return VARIABLE.sub("<id>", rule)


class RequestStats:
    def __init__(self):
        self._lock = threading.Lock()
        self.reset()

    def reset(self):
        with self._lock:
            self._total = 0
            self._by_route = Counter()
            self._by_status = Counter()
            self._events = Counter()

    def record(self, method, template, status):
        with self._lock:
            self._total += 1
            self._by_route[f"{method} {template}"] += 1
            self._by_status[str(status)] += 1

    def count(self, event):
        """Named counters: over_limit, before_retry_after, fault_error, fault_truncate ..."""
        with self._lock:
            self._events[event] += 1

    def snapshot(self):
        with self._lock:
            faults = {key[len("fault_"):]: value for key, value in self._events.items()
                      if key.startswith("fault_")}
            return {
                "total": self._total,
                "by_route": dict(sorted(self._by_route.items())),
                "by_status": dict(sorted(self._by_status.items())),
                "over_limit": self._events["over_limit"],
                "before_retry_after": self._events["before_retry_after"],
                "unauthorized": self._events["unauthorized"],
                # Requests at an offset past 30,000 (PCO's stricter 75-in-100 share).
                "past_deep_offset": self._events["past_deep_offset"],
                "faults": faults,
            }
