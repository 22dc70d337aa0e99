"""Login throttling. Every attempt is counted (an atomic increment) *before* the password is
checked, so parallel guesses cannot all slip past a counter read before a slow check:

- one account from one address: 5 failed attempts, then refused for 15 minutes;
- one address across accounts: 20 attempts in 15 minutes (one guesser, many emails);
- one account across addresses: after 10 failed attempts a growing delay between attempts
  (1 s, 2 s, 4 s ... at most a minute), never a lock-out: an attacker who knows an email
  can slow its owner down a little, not shut them out.

The counters live in Redis, shared by every process. When Redis is down each process keeps
its own (`LocalCounters`), so a Redis outage slows guessing down instead of switching the
limits off.
"""
import hashlib
import logging
import threading
import time
from dataclasses import dataclass

import redis as redis_lib

from flask import current_app

from ..extensions import get_redis

log = logging.getLogger("pcosync.auth")

WINDOW_SECONDS = 15 * 60
PAIR_LIMIT = 5
ADDRESS_LIMIT = 20
ACCOUNT_FREE_ATTEMPTS = 10
MAX_DELAY_SECONDS = 60


@dataclass
class Attempt:
    """The keys one login attempt counted against; `refused` is a message when it may not
    go ahead, with the seconds to wait."""
    keys: dict
    counters: object = None
    refused: str | None = None
    retry_after: int = 0


def key_for(kind, *parts):
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]
    return f"pcosync:login:{kind}:{digest}"


def attempt_keys(email, remote_addr):
    account = email.strip().lower()
    return {"address": key_for("address", remote_addr), "pair": key_for("pair", account,
                                                                        remote_addr),
            "account": key_for("account", account), "gate": key_for("gate", account)}


def account_delay_ms(count):
    """The wait between attempts once an account has had its free failures: doubling."""
    over = max(count - ACCOUNT_FREE_ATTEMPTS, 1)
    return min(2 ** (over - 1), MAX_DELAY_SECONDS) * 1000


def begin(email, remote_addr):
    """Count this attempt; the returned Attempt says whether it may check the password."""
    attempt = Attempt(attempt_keys(email, remote_addr))
    try:
        attempt.counters = RedisCounters(get_redis())
        decide(attempt.counters, attempt)
    except redis_lib.RedisError:
        log.warning("login throttle: Redis is down, using this process's own counters")
        attempt.counters = local_counters()
        decide(attempt.counters, attempt)
    if attempt.refused:
        log.warning("login refused: %s remote_addr=%s", attempt.refused, remote_addr)
    return attempt


def decide(counters, attempt):
    keys = attempt.keys
    if counters.incr(keys["address"]) > ADDRESS_LIMIT:
        return refuse(attempt, "too many attempts from this address",
                      counters.ttl(keys["address"]))
    if counters.incr(keys["pair"]) > PAIR_LIMIT:
        return refuse(attempt, "too many failed attempts", counters.ttl(keys["pair"]))
    count = counters.incr(keys["account"])
    if count <= ACCOUNT_FREE_ATTEMPTS:
        return None
    wait_ms = counters.claim(keys["gate"], account_delay_ms(count))
    if wait_ms:  # another attempt on this account went ahead just now: this one never counted
        for name in ("address", "pair", "account"):
            counters.decr(keys[name])
        return refuse(attempt, "this account's attempts are being slowed down", wait_ms / 1000)
    return None


def refuse(attempt, reason, seconds):
    attempt.refused, attempt.retry_after = reason, max(1, int(seconds + 0.999))
    return attempt


def succeeded(attempt):
    """A right password: this attempt does not count against the address or the account, and
    the account's failures from this address are forgotten."""
    keys, counters = attempt.keys, attempt.counters
    try:
        counters.decr(keys["address"])
        counters.decr(keys["account"])
        counters.delete(keys["pair"])
    except redis_lib.RedisError:
        log.warning("login throttle: Redis is down, a successful login was not uncounted")


def local_counters(app=None):
    app = app or current_app
    return app.extensions.setdefault("pcosync_login_counters", LocalCounters())


class RedisCounters:
    def __init__(self, redis):
        self.redis = redis

    def incr(self, key):
        pipe = self.redis.pipeline()  # MULTI/EXEC: the increment and its expiry together
        pipe.incr(key)
        pipe.expire(key, WINDOW_SECONDS)
        return pipe.execute()[0]

    def decr(self, key):
        if self.redis.decr(key) <= 0:
            self.redis.delete(key)

    def delete(self, key):
        self.redis.delete(key)

    def ttl(self, key):
        return max(self.redis.ttl(key), 1)

    def claim(self, key, milliseconds):
        """0 when this caller holds the key for `milliseconds`, else the ms left to wait."""
        if self.redis.set(key, 1, nx=True, px=milliseconds):
            return 0
        return max(self.redis.pttl(key), 1)


class LocalCounters:
    """The same counters in this process, for when Redis is down."""
    MAX_KEYS = 10_000

    def __init__(self):
        self.lock = threading.Lock()
        self.values = {}  # key -> [count, expires_at]

    def incr(self, key):
        with self.lock:
            self._prune()
            entry = self._live(key) or [0, 0]
            entry[0], entry[1] = entry[0] + 1, time.monotonic() + WINDOW_SECONDS
            self.values[key] = entry
            return entry[0]

    def decr(self, key):
        with self.lock:
            entry = self._live(key)
            if entry and entry[0] > 1:
                entry[0] -= 1
            else:
                self.values.pop(key, None)

    def delete(self, key):
        with self.lock:
            self.values.pop(key, None)

    def ttl(self, key):
        entry = self._live(key)
        return max(entry[1] - time.monotonic(), 1) if entry else 1

    def claim(self, key, milliseconds):
        with self.lock:
            entry = self._live(key)
            if entry:
                return max(int((entry[1] - time.monotonic()) * 1000), 1)
            self.values[key] = [1, time.monotonic() + milliseconds / 1000]
            return 0

    def _live(self, key):
        entry = self.values.get(key)
        return entry if entry and entry[1] > time.monotonic() else None

    def _prune(self):
        if len(self.values) < self.MAX_KEYS:
            return
        now = time.monotonic()
        self.values = {k: v for k, v in self.values.items() if v[1] > now}
        while len(self.values) >= self.MAX_KEYS:  # a flood of addresses: forget the oldest
            self.values.pop(next(iter(self.values)))
