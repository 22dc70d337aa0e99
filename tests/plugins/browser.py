"""The browser fixtures (registered by tests/conftest.py with `pytest_plugins`): headless
Chromium driven by Playwright, one per test process; `page`, a fresh context on the live
server; `logged_in_page`, that page logged in (one login through the real form per process,
shared by the tests that follow)."""
import os

import pytest

from pcosync.auth.session import lifetime
from pcosync.extensions import db
from pcosync.models import UserSession, utcnow
from pcosync.models.users import token_digest
from tests import support
from tests.e2e import screenshot

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
BROWSER_TIMEOUT_MS = 10_000
BROWSER_ADMIN_EMAIL = "browser-admin@example.org"


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium per test process (Debian's /usr/bin/chromium, or $CHROMIUM)."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"no Chromium at {CHROMIUM}: run `make system-deps` (Debian's chromium) "
                    "or set CHROMIUM")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so `page` knows whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(browser, live_server, request):
    """A fresh context and page with base_url set to the live server, so
    `page.goto("/directory/people/")` works. A failing test leaves FAILED-<test>.png."""
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(BROWSER_TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        screenshot(tab, f"FAILED-{request.node.name}")
    context.close()


@pytest.fixture(scope="session")
def browser_login():
    """The cookies of the first browser login through the real form in this process."""
    return {}


@pytest.fixture
def logged_in_page(page, app, browser_login):
    """That page, logged in as a TECH_ADMIN. The first test of a process logs in through the
    real login form; the next ones share that login (its cookies, and its server-side session
    written again into their own database) instead of spending a second on the form each."""
    user = support.make_user(BROWSER_ADMIN_EMAIL, "TECH_ADMIN")
    if browser_login:
        restore_login(app, user, browser_login["cookies"])
        page.context.add_cookies(browser_login["cookies"])
        return page
    page.goto("/login")
    page.get_by_label("Email").fill(BROWSER_ADMIN_EMAIL)
    page.get_by_label("Password").fill(support.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")
    browser_login["cookies"] = page.context.cookies()
    return page


def restore_login(app, user, cookies):
    """The UserSession row behind a login's session cookie (whose user id is the session's
    token), for `user` in this test's database."""
    cookie = next(c["value"] for c in cookies if c["name"] == app.config["SESSION_COOKIE_NAME"])
    token = app.session_interface.get_signing_serializer(app).loads(cookie)["_user_id"]
    db.session.add(UserSession(user_id=user.id, token_digest=token_digest(token),
                               expires_at=utcnow() + lifetime()))
    db.session.commit()
