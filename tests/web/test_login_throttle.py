"""Logging in gives nothing away and guessing is slow: one password check whether or not the
email has an account, so its timing tells nothing; every attempt counted before its check, so
parallel guesses cannot slip through; limits per account and address, per address across
accounts, and per account across addresses (growing delays, no lock-out); and a limit in the
process when Redis is down."""
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from pcosync import passwords
from pcosync.auth import service, throttle
from pcosync.extensions import db
from tests.support import PASSWORD

from tests.support import csrf_from

from .hardening import NO_REDIRECT, app_with, login, served

WRONG = "a wrong guess"


class CountingHasher:
    def __init__(self, hasher):
        self.hasher, self.made = hasher, []

    def verify(self, stored, password):
        self.made.append(stored)
        return self.hasher.verify(stored, password)

    def __getattr__(self, name):
        return getattr(self.hasher, name)


@pytest.fixture
def checks(monkeypatch):
    """The password checks made, in any thread."""
    counting = CountingHasher(passwords.HASHER)
    monkeypatch.setattr(passwords, "HASHER", counting)
    return counting.made


def test_unknown_inactive_and_known_emails_each_cost_exactly_one_check(admin, checks):
    assert service.authenticate("nobody@example.org", WRONG) is None
    assert service.authenticate(admin.email, WRONG) is None
    admin.active = False
    db.session.commit()
    assert service.authenticate(admin.email, PASSWORD) is None
    assert len(checks) == 3


def guess_in_parallel(base, email, count, headers=None):
    """`count` browsers, each with its login page open, press Log in at the same moment."""
    browsers = []
    for _ in range(count):
        browser = requests.Session()
        browser.csrf = csrf_from(browser.get(base + "/login", timeout=10).text)
        browsers.append(browser)
    ready = threading.Barrier(count)

    def guess(browser):
        ready.wait()
        return browser.post(base + "/login", headers=headers, **NO_REDIRECT, data={
            "email": email, "password": WRONG, "csrf_token": browser.csrf}).status_code

    with ThreadPoolExecutor(count) as pool:
        return sorted(pool.map(guess, browsers))


def test_parallel_guesses_are_counted_before_they_are_checked(app, admin, checks):
    with served(app) as base:
        statuses = guess_in_parallel(base, admin.email, 16)
    assert statuses == [401] * throttle.PAIR_LIMIT + [429] * (16 - throttle.PAIR_LIMIT)
    assert len(checks) == throttle.PAIR_LIMIT


def test_one_address_trying_many_accounts_is_stopped(app):
    with app_with(app, TRUSTED_PROXIES=1) as proxied, served(proxied) as base:
        guesser = {"X-Forwarded-For": "203.0.113.9"}
        statuses = [login(base, f"user{i}@example.org", WRONG, headers=guesser)[1].status_code
                    for i in range(throttle.ADDRESS_LIMIT + 1)]
        assert statuses == [401] * throttle.ADDRESS_LIMIT + [429]
        other = {"X-Forwarded-For": "198.51.100.7"}
        assert login(base, "user0@example.org", WRONG, headers=other)[1].status_code == 401


def from_address(base, email, number, password=WRONG):
    _, answer = login(base, email, password, headers={"X-Forwarded-For": f"192.0.2.{number}"})
    return answer.status_code, answer.headers.get("Retry-After")


def test_many_addresses_on_one_account_meet_growing_delays_never_a_lock_out(app, admin):
    with app_with(app, TRUSTED_PROXIES=1) as proxied, served(proxied) as base:
        free = [from_address(base, admin.email, n)[0]
                for n in range(throttle.ACCOUNT_FREE_ATTEMPTS)]
        assert free == [401] * throttle.ACCOUNT_FREE_ATTEMPTS
        assert from_address(base, admin.email, 100) == (401, None)  # then one a second
        assert from_address(base, admin.email, 101) == (429, "1")
        time.sleep(1.1)
        assert from_address(base, admin.email, 102) == (401, None)
        assert from_address(base, admin.email, 103) == (429, "2")  # ... then one per 2 s
        time.sleep(2.1)
        assert from_address(base, admin.email, 104, PASSWORD) == (302, None)  # the owner


def test_successful_logins_do_not_use_up_an_address(app, admin):
    with served(app) as base:
        statuses = {login(base, admin.email)[1].status_code
                    for _ in range(throttle.ADDRESS_LIMIT + 5)}
    assert statuses == {302}


def test_with_redis_down_a_limit_in_the_process_still_applies(app, admin, checks):
    with app_with(app, REDIS_URL="redis://127.0.0.1:9/0") as no_redis, served(no_redis) as base:
        statuses = guess_in_parallel(base, admin.email, 8)
        assert statuses == [401] * throttle.PAIR_LIMIT + [429] * (8 - throttle.PAIR_LIMIT)
        assert login(base, admin.email)[1].status_code == 429  # the right one, too late
    assert len(checks) == throttle.PAIR_LIMIT


def test_the_password_change_form_counts_guesses_like_the_login(admin_client, checks):
    checked_before = len(checks)
    token = csrf_from(admin_client.get("/account/password").get_data(as_text=True))

    def change(current):
        return admin_client.post("/account/password", data={
            "current": current, "new": "a new long password", "confirm": "a new long password",
            "csrf_token": token}).status_code

    statuses = [change(WRONG) for _ in range(throttle.PAIR_LIMIT + 3)]

    assert statuses == [400] * throttle.PAIR_LIMIT + [429] * 3
    assert len(checks) - checked_before == throttle.PAIR_LIMIT
    assert change(PASSWORD) == 429  # the right one, too late: refused before its check
    assert len(checks) - checked_before == throttle.PAIR_LIMIT
