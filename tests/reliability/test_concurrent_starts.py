"""Scenario 4: ten Sync page users press Full Sync within 100 ms: exactly one run starts, the
other nine are told it is already running (409), and that one run converges."""
from .starts import concurrent_starts


def test_ten_starts_within_100_ms_make_exactly_one_run(app, make_sandbox, live_app, seed):
    server = make_sandbox(150, seed)
    result = concurrent_starts(app, server, live_app.url, seed, clients=10)
    print(f"seed={seed} {result}")
