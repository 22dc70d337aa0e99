"""The rate limit: PCO's headers, 429 + Retry-After, and the violation counters."""
import time

import pytest

from pco_sandbox.ratelimit import IN_FLIGHT_GRACE, RateLimiter

PEOPLE = "/people/v2/people"


def test_headers_on_every_response(make_api):
    api = make_api(SANDBOX_RATE_LIMIT=100)
    counts = []
    for _ in range(3):
        response = api.get(PEOPLE, params={"per_page": 1})
        assert response.headers["X-PCO-API-Request-Rate-Limit"] == "100"
        assert response.headers["X-PCO-API-Request-Rate-Period"] == "20"
        counts.append(int(response.headers["X-PCO-API-Request-Rate-Count"]))
    assert counts == [1, 2, 3]
    not_found = api.get(f"{PEOPLE}/1")
    assert not_found.headers["X-PCO-API-Request-Rate-Count"] == "4"


def test_period_header_can_say_seconds(make_api):
    api = make_api(SANDBOX_RATE_LIMIT=100, SANDBOX_RATE_PERIOD_FORMAT="{seconds} seconds")
    assert api.get(PEOPLE).headers["X-PCO-API-Request-Rate-Period"] == "20 seconds"


def test_over_the_limit_is_429_with_retry_after(make_api):
    api = make_api(SANDBOX_RATE_LIMIT=3, SANDBOX_RATE_PERIOD=1)
    for _ in range(3):
        assert api.get(PEOPLE, params={"per_page": 1}).status_code == 200
    rejected = api.get(PEOPLE)
    assert rejected.status_code == 429
    assert rejected.headers["Retry-After"] == "1"
    assert rejected.json() == {"errors": [{
        "code": "429", "detail": "Rate limit exceeded: 4 of 3 requests per 1 seconds"}]}
    assert rejected.headers["X-PCO-API-Request-Rate-Count"] == "4"
    time.sleep(IN_FLIGHT_GRACE)  # sooner, it may have been on its way already
    assert api.get(PEOPLE).status_code == 429, "came back before Retry-After ran out"
    stats = api.admin("GET", "/stats").json()
    assert stats["over_limit"] == 2 and stats["before_retry_after"] == 1
    time.sleep(float(rejected.headers["Retry-After"]))
    assert api.get(PEOPLE).status_code == 200
    stats = api.admin("GET", "/stats").json()
    assert stats["before_retry_after"] == 1
    assert stats["by_status"] == {"200": 4, "429": 2}


def test_rejected_requests_do_not_consume_budget():
    now = [0.0]
    limiter = RateLimiter(limit=2, period=10, clock=lambda: now[0])
    assert limiter.acquire("app").allowed and limiter.acquire("app").allowed
    for _ in range(5):
        assert not limiter.acquire("app").allowed
    now[0] = 10.01
    decision = limiter.acquire("app")
    assert decision.allowed and decision.count == 1


def test_retry_after_counts_until_a_slot_frees():
    now = [0.0]
    limiter = RateLimiter(limit=2, period=20, clock=lambda: now[0])
    limiter.acquire("app")
    now[0] = 5.5
    limiter.acquire("app")
    now[0] = 6.0
    assert limiter.acquire("app").retry_after == 14
    assert not limiter.arrived_too_early("app"), "on its way when the 429 was given"
    now[0] = 6.0 + IN_FLIGHT_GRACE
    assert limiter.arrived_too_early("app")
    now[0] = 19.9
    assert limiter.arrived_too_early("app")
    now[0] = 20.0
    assert not limiter.arrived_too_early("app")
    assert limiter.acquire("app").allowed, "the oldest request has left the window"


def test_deep_offsets_get_the_stricter_limit(make_api):
    api = make_api(SANDBOX_RATE_LIMIT=4)
    for _ in range(3):
        assert api.get(PEOPLE, params={"offset": 30_001}).status_code == 200
    deep = api.get(PEOPLE, params={"offset": 30_001})
    assert deep.status_code == 429 and deep.headers["X-PCO-API-Request-Rate-Limit"] == "3"
    assert api.get(PEOPLE).status_code == 200


def test_admin_routes_are_never_limited(make_api):
    api = make_api(SANDBOX_RATE_LIMIT=1)
    api.get(PEOPLE)
    for _ in range(3):
        response = api.admin("GET", "/stats")
        assert response.status_code == 200
        assert "X-PCO-API-Request-Rate-Limit" not in response.headers
    assert api.admin("GET", "/stats").json()["total"] == 1


@pytest.mark.parametrize("limit", [0])
def test_limit_zero_turns_limiting_off(make_api, limit):
    api = make_api(SANDBOX_RATE_LIMIT=limit)
    statuses = {api.get(PEOPLE, params={"per_page": 1}).status_code for _ in range(20)}
    assert statuses == {200}
    assert int(api.get(PEOPLE).headers["X-PCO-API-Request-Rate-Limit"]) >= 1_000_000
