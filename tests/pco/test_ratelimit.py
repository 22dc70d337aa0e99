"""The rate budget: header parsing, the sliding window, shared blocks, Redis sharing."""
import threading
import time
from email.utils import format_datetime
from datetime import datetime, timezone

import pytest

from pcosync.pco.ratelimit import (
    LocalBudget, Margin, RateLimiter, RedisBudget, budget_key_prefix, parse_limit, parse_period,
    parse_retry_after, past_deep_offset,
)
from tests.pco.helpers import BASE, FakeClock

NO_MARGIN = Margin(reserve_fraction=0, min_reserve=0, extra_seconds=0)


@pytest.mark.parametrize("value,expected", [
    ("20", 20.0), ("20 seconds", 20.0), ("20 Seconds", 20.0), (" 20 ", 20.0), (20, 20.0),
    ("1 second", 1.0), ("2.5s", 2.5), ("1 minute", 60.0),
    ("", None), (None, None), ("0", None), ("twenty", None), ("20 fortnights", None),
])
def test_parse_period(value, expected):
    assert parse_period(value) == expected


@pytest.mark.parametrize("value,expected", [("100", 100), (" 75 ", 75), ("0", None),
                                            ("x", None), (None, None)])
def test_parse_limit(value, expected):
    assert parse_limit(value) == expected


def test_parse_retry_after():
    now = 1_700_000_000.0
    assert parse_retry_after("19", now) == 19.0
    assert parse_retry_after("1.5", now) == 1.5
    assert parse_retry_after(None, now) == 20.0
    assert parse_retry_after("", now) == 20.0
    assert parse_retry_after("soon", now) == 20.0
    assert parse_retry_after("-3", now) == 0.0
    http_date = format_datetime(datetime.fromtimestamp(now + 30, timezone.utc), usegmt=True)
    assert parse_retry_after(http_date, now) == pytest.approx(30.0)


def test_margin_keeps_a_small_reserve():
    margin = Margin()
    assert margin.allowed(100) == 99
    assert margin.allowed(5) == 4
    assert margin.allowed(1) == 1
    assert margin.window(20.0) == 20.25


@pytest.fixture(params=["local", "redis"])
def budget(request):
    if request.param == "local":
        return LocalBudget()
    return RedisBudget(request.getfixturevalue("redis_client"), "app-1")


class TestSlidingWindow:
    def test_takes_allowed_slots_then_waits_for_the_oldest(self, budget):
        budget.store_policy(5, 2.0)
        margin = Margin(extra_seconds=0.5)  # 4 slots per 2.5 s
        now = 1000.0
        assert [budget.try_take(now + i * 0.1, margin) for i in range(4)] == [0.0] * 4
        assert budget.try_take(now + 0.5, margin) == pytest.approx(2.0)  # 1000 + 2.5 - 1000.5
        assert budget.try_take(now + 2.5, margin) == 0.0

    def test_default_policy_is_100_per_20_seconds(self, budget):
        takes = [budget.try_take(50.0, NO_MARGIN) for _ in range(101)]
        assert takes[:100] == [0.0] * 100
        assert takes[100] == pytest.approx(20.0)

    def test_a_lowered_limit_applies_at_once(self, budget):
        for _ in range(10):
            budget.try_take(10.0, NO_MARGIN)
        budget.store_policy(3, 20.0)
        assert budget.try_take(11.0, NO_MARGIN) == pytest.approx(19.0)

    def test_a_deep_request_waits_for_the_deep_share(self, budget):
        """Past offset 30,000 PCO answers only while its window holds fewer than 75 of 100."""
        assert [budget.try_take(50.0, NO_MARGIN) for _ in range(75)] == [0.0] * 75
        assert budget.try_take(51.0, NO_MARGIN, deep=True) == pytest.approx(19.0)
        assert budget.try_take(51.0, NO_MARGIN) == 0.0  # any other request: 76 of 100

    def test_a_deep_answer_sets_the_deep_share_and_nothing_else(self, budget):
        budget.store_policy(60, 20.0, deep=True)
        assert [budget.try_take(50.0, NO_MARGIN) for _ in range(60)] == [0.0] * 60
        assert budget.try_take(50.0, NO_MARGIN, deep=True) == pytest.approx(20.0)
        assert budget.try_take(50.0, NO_MARGIN) == 0.0  # still 100 for the others

    def test_block_holds_every_take_and_only_moves_later(self, budget):
        budget.block_until(130.0, 100.0)
        budget.block_until(110.0, 100.0)  # an older, shorter Retry-After must not shorten it
        assert budget.try_take(100.0, NO_MARGIN) == pytest.approx(30.0)
        assert budget.try_take(130.0, NO_MARGIN) == 0.0


class TestRateLimiter:
    def test_acquire_sleeps_the_reported_waits(self):
        clock = FakeClock(0.0)
        limiter = RateLimiter(LocalBudget(), sleep=clock.sleep, clock=clock.time,
                              margin=Margin(extra_seconds=0.5))
        limiter.observe({"X-PCO-API-Request-Rate-Limit": "3",
                         "X-PCO-API-Request-Rate-Period": "10 seconds"})
        waits = [limiter.acquire() for _ in range(5)]  # 2 slots (3 minus 1 held back)
        assert waits == [0.0, 0.0, pytest.approx(10.5), 0.0, pytest.approx(10.5)]
        assert clock.sleeps == [pytest.approx(10.5)] * 2

    def test_observe_ignores_missing_or_garbled_headers(self):
        budget = LocalBudget()
        limiter = RateLimiter(budget)
        limiter.observe({})
        limiter.observe({"X-PCO-API-Request-Rate-Limit": "lots",
                         "X-PCO-API-Request-Rate-Period": "20"})
        assert budget.try_take(0.0, NO_MARGIN) == 0.0  # still the 100/20 default

    def test_block_uses_the_clock(self):
        clock = FakeClock(500.0)
        limiter = RateLimiter(LocalBudget(), sleep=clock.sleep, clock=clock.time)
        limiter.block(19)
        assert limiter.acquire() == pytest.approx(19.0)
        assert clock.now == pytest.approx(519.0)


class TestRedisSharing:
    def test_keys_come_from_a_hash_of_the_app_id(self, redis_client):
        budget = RedisBudget(redis_client, "my-app-id")
        budget.store_policy(100, 20.0)
        budget.try_take(time.time(), Margin())
        budget.block_until(time.time() + 5, time.time())
        keys = {key.decode() for key in redis_client.keys("*")}
        prefix = budget_key_prefix("my-app-id")
        assert keys == {f"{prefix}:log", f"{prefix}:policy", f"{prefix}:blocked_until"}
        assert all("my-app-id" not in key for key in keys)
        assert all(redis_client.ttl(key) > 0 for key in keys)

    def test_a_learned_policy_is_seen_by_another_process(self, redis_client):
        learner = RateLimiter(RedisBudget(redis_client, "app"))
        learner.observe({"X-PCO-API-Request-Rate-Limit": "5",
                         "X-PCO-API-Request-Rate-Period": "2 seconds"})
        assert redis_client.hgetall(RedisBudget(redis_client, "app").policy_key) == {
            b"limit": b"5", b"period": b"2.0"}
        other = RedisBudget(redis_client, "app")
        takes = [other.try_take(100.0, NO_MARGIN) for _ in range(6)]
        assert takes[:5] == [0.0] * 5 and takes[5] == pytest.approx(2.0)

    def test_the_policy_is_rewritten_after_a_flush(self, redis_client):
        clock = FakeClock(0.0)
        budget = RedisBudget(redis_client, "app")
        limiter = RateLimiter(budget, sleep=clock.sleep, clock=clock.time)
        headers = {"X-PCO-API-Request-Rate-Limit": "75", "X-PCO-API-Request-Rate-Period": "20"}
        limiter.observe(headers)
        redis_client.flushdb()
        limiter.observe(headers)
        assert not redis_client.exists(budget.policy_key)  # cached: no write per response
        clock.now += 61
        limiter.observe(headers)
        assert redis_client.hget(budget.policy_key, "limit") == b"75"

    def test_different_credentials_have_separate_budgets(self, redis_client):
        first, second = RedisBudget(redis_client, "a"), RedisBudget(redis_client, "b")
        first.store_policy(1, 20.0)
        assert first.try_take(0.0, NO_MARGIN) == 0.0
        assert first.try_take(0.0, NO_MARGIN) > 0
        assert second.try_take(0.0, NO_MARGIN) == 0.0

    def test_threads_on_real_time_never_exceed_the_limit(self, redis_client):
        limit, period = 4, 0.4
        RedisBudget(redis_client, "app").store_policy(limit, period)
        margin = Margin(reserve_fraction=0, min_reserve=1, extra_seconds=0.05)
        sent, lock = [], threading.Lock()

        def worker():
            limiter = RateLimiter(RedisBudget(redis_client, "app"), margin=margin)
            for _ in range(3):
                limiter.acquire()
                with lock:
                    sent.append(time.monotonic())

        threads = [threading.Thread(target=worker) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=10)
        sent.sort()
        assert len(sent) == 9
        for index, start in enumerate(sent):
            in_window = [t for t in sent[index:] if t < start + period]
            assert len(in_window) <= limit


@pytest.mark.parametrize("target, params, deep", [
    ("/people/v2/notes", {"offset": 30_100}, True),
    ("/people/v2/notes", {"offset": "30000"}, False),
    ("https://api.planningcenteronline.com/people/v2/notes?offset=30100&per_page=100", None,
     True),
    ("https://api.planningcenteronline.com/people/v2/notes?per_page=100", None, False),
    ("/people/v2/notes", {"offset": "lots"}, False),
])
def test_past_deep_offset(target, params, deep):
    assert past_deep_offset(target, params) is deep


def test_a_client_paces_a_deep_page_by_the_deep_share(make_client, clock, requests_mock):
    """With 74 requests in the window (the deep share of 75, less the one held back) a page
    nearer the start goes at once, and a page past offset 30,000 waits for the window."""
    requests_mock.get(f"{BASE}/people/v2/notes", json={"data": []}, headers={
        "X-PCO-API-Request-Rate-Limit": "100", "X-PCO-API-Request-Rate-Period": "20"})
    client = make_client()
    for _ in range(75):
        client.get("/people/v2/notes", {"offset": 100})
    assert clock.sleeps == []
    client.get("/people/v2/notes", {"offset": 30_100})
    assert clock.sleeps == [pytest.approx(20.25)]
