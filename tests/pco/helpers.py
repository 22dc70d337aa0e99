"""Helpers shared by the PCO tests: a fake clock and canned responses."""
import json
from pathlib import Path

BASE = "https://api.planningcenteronline.com"
# Real PCO API bodies (from the spec, kept here so a clone needs nothing outside itself).
REAL_RESPONSES = Path(__file__).parents[1] / "fixtures" / "pco-real-responses"
RATE_HEADERS = {"X-PCO-API-Request-Rate-Limit": "100",
                "X-PCO-API-Request-Rate-Period": "20",
                "X-PCO-API-Request-Rate-Count": "1"}


class FakeClock:
    """time() and sleep() where sleeping only moves the clock forward, and is recorded."""

    def __init__(self, start: float = 1_700_000_000.0):
        self.now = start
        self.sleeps: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def real_body(name: str) -> dict:
    return json.loads((REAL_RESPONSES / name).read_text())


def ok(body, status=200, headers=None):
    """A requests-mock response spec carrying PCO's rate headers."""
    return {"json": body, "status_code": status, "headers": {**RATE_HEADERS, **(headers or {})}}


def error(status, body=None, headers=None):
    return ok(body if body is not None else {"errors": []}, status, headers)


def person(person_id, **attributes):
    return {"type": "Person", "id": str(person_id),
            "attributes": {"first_name": "Ann", "last_name": "Lee", **attributes}}
