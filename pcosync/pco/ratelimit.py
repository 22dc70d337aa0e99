"""Pacing requests so every process sharing one set of PCO credentials stays under the limit.

PCO allows N requests per P seconds per user, across products and processes
(100 per 20 s by default, learned from the X-PCO-API-Request-Rate-* headers).
The budget is a sliding-window log: one timestamp per request sent in the last
window. With Redis the log is a sorted set updated by a Lua script, so web
workers and job workers that share credentials share one budget; without
Redis an in-process log applies the same rules to this process only.

Two safety margins keep us clear of 429s: a few requests of the limit are held
back, and the window is stretched a little, because PCO counts arrival times
while we record send times.

A request at an offset past 30,000 gets a stricter share (75 per 20 s where the
limit is 100): PCO lets it through only while the window holds fewer than that.
Such a request waits for the deep share, the limit learned from a deep answer's
headers (three quarters of the limit until one is seen), and a deep answer's
headers never lower the limit of every other request.
"""
import hashlib
import math
import re
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qs, urlsplit

DEFAULT_LIMIT = 100
DEFAULT_PERIOD = 20.0
DEFAULT_RETRY_AFTER = 20.0
DEEP_OFFSET = 30_000
DEEP_SHARE = 0.75  # of the limit, for a request past DEEP_OFFSET until PCO's headers say
# Re-write the learned policy at least this often, so it survives a Redis flush or TTL.
POLICY_REFRESH_SECONDS = 60.0
POLICY_TTL_SECONDS = 86400

_PERIOD_UNITS = {"": 1, "s": 1, "sec": 1, "second": 1, "seconds": 1, "secs": 1,
                 "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60}
_PERIOD_PATTERN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$")


@dataclass(frozen=True)
class Margin:
    """How much of the advertised budget we deliberately leave unused."""

    # 1 of 100 and a quarter second: together 2.3% under PCO's pace, where 2 of 100 and half
    # a second cost 4.6% of every paced Full Sync. The quarter second covers a request
    # arriving up to 250 ms sooner after its send than the one 100 requests before it did.
    reserve_fraction: float = 0.01
    min_reserve: int = 1
    extra_seconds: float = 0.25

    def allowed(self, limit: int) -> int:
        reserve = max(self.min_reserve, math.floor(limit * self.reserve_fraction))
        return max(1, limit - reserve)

    def window(self, period: float) -> float:
        return period + self.extra_seconds


def parse_period(value) -> float | None:
    """Seconds from a Rate-Period header, which PCO sends as `20` or `20 seconds`."""
    if value is None:
        return None
    match = _PERIOD_PATTERN.match(str(value).lower())
    if not match or match.group(2) not in _PERIOD_UNITS:
        return None
    seconds = float(match.group(1)) * _PERIOD_UNITS[match.group(2)]
    return seconds if seconds > 0 else None


def parse_limit(value) -> int | None:
    try:
        limit = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return limit if limit > 0 else None


def past_deep_offset(url: str, params=None) -> bool:
    """True for a request at an offset past 30,000 (in `params`, or a next link's query)."""
    offset = (params or {}).get("offset") if isinstance(params, dict) else None
    if offset is None:
        offset = (parse_qs(urlsplit(url).query).get("offset") or [None])[0]
    try:
        return int(offset) > DEEP_OFFSET
    except (TypeError, ValueError):
        return False


def deep_limit(limit: int) -> int:
    return max(1, math.ceil(limit * DEEP_SHARE))


def parse_retry_after(value, now: float, default: float = DEFAULT_RETRY_AFTER) -> float:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if value is None or str(value).strip() == "":
        return default
    try:
        return max(0.0, float(str(value).strip()))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(str(value)).timestamp() - now)
    except (TypeError, ValueError, OverflowError):
        return default


# KEYS: log (zset), policy (hash), blocked_until (string)
# ARGV: now, member, default_limit, default_period, reserve_fraction, min_reserve, extra_seconds,
#       deep ("1" for a request past the deep offset), deep_share
# Returns "0" when a slot was taken, else the seconds to wait, as a string because
# Redis truncates Lua numbers to integers.
_TAKE_SLOT_LUA = """
local now = tonumber(ARGV[1])
local blocked = tonumber(redis.call("GET", KEYS[3]) or "0")
if blocked > now then return tostring(blocked - now) end
local limit = tonumber(redis.call("HGET", KEYS[2], "limit") or ARGV[3])
local period = tonumber(redis.call("HGET", KEYS[2], "period") or ARGV[4])
if ARGV[8] == "1" then
  limit = tonumber(redis.call("HGET", KEYS[2], "deep_limit") or "0")
  if limit <= 0 then limit = math.max(1, math.ceil(
    tonumber(redis.call("HGET", KEYS[2], "limit") or ARGV[3]) * tonumber(ARGV[9]))) end
end
local window = period + tonumber(ARGV[7])
local reserve = math.max(tonumber(ARGV[6]), math.floor(limit * tonumber(ARGV[5])))
local allowed = math.max(1, limit - reserve)
redis.call("ZREMRANGEBYSCORE", KEYS[1], "-inf", string.format("%.6f", now - window))
local used = redis.call("ZCARD", KEYS[1])
if used < allowed then
  redis.call("ZADD", KEYS[1], ARGV[1], ARGV[2])
  redis.call("PEXPIRE", KEYS[1], math.ceil(window * 1000) + 1000)
  return "0"
end
local oldest = redis.call("ZRANGE", KEYS[1], 0, used - allowed, "WITHSCORES")
return tostring(math.max(0.001, tonumber(oldest[#oldest]) + window - now))
"""

# KEYS: blocked_until; ARGV: until, now. Only ever moves the block later.
_BLOCK_LUA = """
local current = tonumber(redis.call("GET", KEYS[1]) or "0")
local wanted = tonumber(ARGV[1])
if wanted > current then
  local ttl = math.ceil((wanted - tonumber(ARGV[2])) * 1000) + 1000
  redis.call("SET", KEYS[1], ARGV[1], "PX", math.max(ttl, 1000))
end
return "ok"
"""


def budget_key_prefix(app_id: str) -> str:
    """Redis key prefix for one set of credentials: a hash of the app id, never the secret."""
    digest = hashlib.sha256(app_id.encode("utf-8")).hexdigest()[:24]
    return f"pcosync:pco:ratelimit:{digest}"


class RedisBudget:
    """The sliding-window log kept in Redis, shared by every process using the same app id."""

    def __init__(self, redis, app_id: str):
        self._redis = redis
        prefix = budget_key_prefix(app_id)
        self.log_key = f"{prefix}:log"
        self.policy_key = f"{prefix}:policy"
        self.blocked_key = f"{prefix}:blocked_until"
        self._take_slot = redis.register_script(_TAKE_SLOT_LUA)
        self._block = redis.register_script(_BLOCK_LUA)

    def try_take(self, now: float, margin: Margin, deep: bool = False) -> float:
        args = [repr(now), uuid.uuid4().hex, DEFAULT_LIMIT, repr(DEFAULT_PERIOD),
                repr(margin.reserve_fraction), margin.min_reserve, repr(margin.extra_seconds),
                "1" if deep else "0", repr(DEEP_SHARE)]
        keys = [self.log_key, self.policy_key, self.blocked_key]
        return float(self._take_slot(keys=keys, args=args))

    def store_policy(self, limit: int, period: float, deep: bool = False) -> None:
        # A deep answer's period is the same window's: only its limit is its own.
        mapping = {"deep_limit": limit} if deep else {"limit": limit, "period": repr(period)}
        pipe = self._redis.pipeline()
        pipe.hset(self.policy_key, mapping=mapping)
        pipe.expire(self.policy_key, POLICY_TTL_SECONDS)
        pipe.execute()

    def block_until(self, until: float, now: float) -> None:
        self._block(keys=[self.blocked_key], args=[repr(until), repr(now)])


class LocalBudget:
    """The same log held in this process, for when no Redis is configured."""

    def __init__(self):
        self._lock = threading.Lock()
        self._sent: deque[float] = deque()
        self._limit = DEFAULT_LIMIT
        self._deep_limit = None
        self._period = DEFAULT_PERIOD
        self._blocked_until = 0.0

    def try_take(self, now: float, margin: Margin, deep: bool = False) -> float:
        with self._lock:
            if self._blocked_until > now:
                return self._blocked_until - now
            window = margin.window(self._period)
            while self._sent and self._sent[0] <= now - window:
                self._sent.popleft()
            limit = (self._deep_limit or deep_limit(self._limit)) if deep else self._limit
            allowed = margin.allowed(limit)
            if len(self._sent) < allowed:
                self._sent.append(now)
                return 0.0
            return max(0.001, self._sent[len(self._sent) - allowed] + window - now)

    def store_policy(self, limit: int, period: float, deep: bool = False) -> None:
        with self._lock:
            if deep:
                self._deep_limit = limit
            else:
                self._limit, self._period = limit, period

    def block_until(self, until: float, now: float) -> None:
        with self._lock:
            self._blocked_until = max(self._blocked_until, until)


class RateLimiter:
    """Waits for a free slot before each request and learns the policy from responses."""

    def __init__(self, budget, *, sleep=time.sleep, clock=time.time, margin: Margin = Margin()):
        self.budget = budget
        self.margin = margin
        self._sleep = sleep
        self._clock = clock
        # Per kind of request (deep or not): the policy last written, and when.
        self._stored: dict[bool, tuple[tuple[int, float], float]] = {}

    def acquire(self, deep: bool = False) -> float:
        """Block until a slot is free (and any shared 429 block is over); return seconds waited.
        `deep`: the request is at an offset past 30,000 (the stricter share)."""
        waited = 0.0
        while True:
            wait = self.budget.try_take(self._clock(), self.margin, deep)
            if wait <= 0:
                return waited
            self._sleep(wait)
            waited += wait

    def observe(self, headers, deep: bool = False) -> None:
        """Learn limit and period from a response's X-PCO-API-Request-Rate-* headers (`deep`:
        the answer to a request past the deep offset, whose limit is the deep share's)."""
        limit = parse_limit(headers.get("X-PCO-API-Request-Rate-Limit"))
        period = parse_period(headers.get("X-PCO-API-Request-Rate-Period"))
        if limit is None or period is None:
            return
        now = self._clock()
        policy, stored_at = self._stored.get(deep, (None, 0.0))
        if policy == (limit, period) and now - stored_at < POLICY_REFRESH_SECONDS:
            return
        self.budget.store_policy(limit, period, deep)
        self._stored[deep] = ((limit, period), now)

    def block(self, seconds: float) -> None:
        """Hold every client sharing this budget back for `seconds` (after a 429)."""
        now = self._clock()
        self.budget.block_until(now + seconds, now)


def make_rate_limiter(app_id: str, redis=None, *, sleep=time.sleep, clock=time.time,
                      margin: Margin = Margin()) -> RateLimiter:
    budget = RedisBudget(redis, app_id) if redis is not None else LocalBudget()
    return RateLimiter(budget, sleep=sleep, clock=clock, margin=margin)
