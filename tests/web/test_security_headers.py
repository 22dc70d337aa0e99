"""Security headers on every response: a strict Content-Security-Policy (no inline script or
style anywhere), no framing, no sniffing, a referrer policy, and HSTS when served over https.
The pages satisfy the policy: nothing inline in the templates (and a browser test runs them)."""
import pathlib
import re

import pytest

from pcosync.security import SECURITY_HEADERS
from tests.support import make_user

from .hardening import app_with

TEMPLATES = pathlib.Path(__file__).resolve().parents[2] / "pcosync" / "templates"


def assert_hardened(response):
    headers = response.headers
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name) == value, (name, response.request.path)
    policy = dict(part.strip().split(" ", 1) for part in headers["Content-Security-Policy"]
                  .split(";"))
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    assert "unsafe" not in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("path", ["/login", "/", "/static/css/app.css", "/static/js/sync.js",
                                  "/no-such-page", "/directory/people/"])
def test_every_kind_of_response_carries_the_headers(client, path):
    assert_hardened(client.get(path))


def test_logged_in_pages_json_and_the_webhook_carry_them_too(admin_client):
    for path in ("/", "/sync/", "/sync/status", "/directory/people/"):
        assert_hardened(admin_client.get(path))
    assert_hardened(admin_client.post("/api/pco-webhook", data=b"{}"))
    assert "Strict-Transport-Security" not in admin_client.get("/").headers


def test_hsts_when_the_site_is_served_over_https(app):
    make_user("admin@example.org", "TECH_ADMIN")
    with app_with(app, PUBLIC_BASE_URL="https://church.example.org") as secure:
        answer = secure.test_client().get("/login", base_url="https://church.example.org")
    assert_hardened(answer)
    assert answer.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "an inline <script>"),
    (re.compile(r"<style\b", re.I), "a <style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "a style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an inline event handler"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
]


def without_comments(path):
    return re.sub(r"{#.*?#}", "", path.read_text(), flags=re.S)


def test_no_template_has_anything_inline_the_policy_would_block():
    found = [(path.name, what) for path in TEMPLATES.rglob("*.html")
             for pattern, what in INLINE if pattern.search(without_comments(path))]
    assert not found
