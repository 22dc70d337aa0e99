"""Every page still works in Chromium under the Content-Security-Policy: no console errors (a
blocked script, style or connection is one) and sync.js does its work (Test Connection)."""
import pytest
from playwright.sync_api import expect

from tests import support
from tests.e2e import screenshot
from tests.factories import one_of_everything

pytestmark = pytest.mark.browser
EMAIL = "csp-admin@example.org"


@pytest.fixture
def sandbox_settings():
    return {"people": 5}


def watch(page):
    """Console errors and uncaught exceptions, as they happen."""
    problems = []
    page.on("console", lambda m: problems.append((m.text, m.location["url"]))
            if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def visit(page, path):
    response = page.goto(path)
    assert response.status == 200, path
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"], path


def log_in(page):
    visit(page, "/login")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password").fill(support.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")


def test_the_pages_work_under_the_policy(page, app, sandbox):
    support.make_user(EMAIL, "TECH_ADMIN")
    ids, _ = one_of_everything()
    problems = watch(page)
    log_in(page)
    for path in ("/", "/directory/people/", f"/directory/people/{ids['person_id']}",
                 f"/directory/people/{ids['person_id']}/contacts", "/directory/people/new",
                 "/directory/families/", f"/directory/families/{ids['family_id']}",
                 "/directory/groups/", f"/directory/groups/{ids['group_id']}",
                 "/account/password", "/sync/"):
        visit(page, path)
    page.get_by_role("button", name="Test Connection").click()
    expect(page.locator("#connection-result")).to_contain_text("Connected to")
    screenshot(page, "sync-under-csp")
    assert not problems, problems
