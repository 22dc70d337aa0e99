"""Seeded fault injection: what real PCO sometimes does to a client, decided per request.

The decision is made before the request is handled, so a write answered with an injected
5xx or 429 was never applied. Truncation only hits GET answers (a cut-off write answer
would be a different failure: applied but unreadable). Slow answers sleep before the
request is handled, like a congested server would.
"""
import random
import threading
import time
from dataclasses import dataclass

# fake_retry_after: the Retry-After of an injected 429. PCO says whole seconds; a fraction is for
# tests, whose client must wait what it is told without waiting long.
DEFAULTS = {
    "error_rate": 0.0, "rate_limit_rate": 0.0, "latency": 0.0, "slow_rate": 0.0,
    "slow_seconds": 5.0, "truncate_rate": 0.0, "error_statuses": [500, 502, 503],
    "fake_retry_after": 1, "seed": 1,
}


@dataclass
class Fault:
    kind: str = None  # "error" | "rate_limit" | "truncate" | None
    status: int = 200
    delay: float = 0.0


class FaultInjector:
    def __init__(self, settings=None, sleep=time.sleep):
        self._lock = threading.Lock()
        self._sleep = sleep
        self.settings = dict(DEFAULTS)
        self._rng = random.Random(self.settings["seed"])
        self.configure(settings or {})

    def configure(self, changes):
        """Merge new settings; a given `seed` restarts the random sequence."""
        with self._lock:
            unknown = set(changes) - set(DEFAULTS)
            if unknown:
                raise ValueError(f"unknown fault settings: {sorted(unknown)}")
            self.settings.update(changes)
            if "seed" in changes:
                self._rng = random.Random(changes["seed"])
            return dict(self.settings)

    def decide(self, method):
        with self._lock:
            settings, rng = self.settings, self._rng
            draw, slow_draw, status = rng.random(), rng.random(), rng.choice(
                settings["error_statuses"])
            delay = float(settings["latency"])
            if slow_draw < settings["slow_rate"]:
                delay += float(settings["slow_seconds"])
            bounds = (("error", settings["error_rate"]),
                      ("rate_limit", settings["rate_limit_rate"]),
                      ("truncate", settings["truncate_rate"] if method == "GET" else 0.0))
            for kind, rate in bounds:
                if draw < rate:
                    return Fault(kind, status if kind == "error" else 200, delay)
                draw -= rate
            return Fault(None, 200, delay)

    def wait(self, fault):
        if fault.delay > 0:
            self._sleep(fault.delay)
