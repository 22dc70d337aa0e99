"""Browser fixtures others reuse:

- live_server: the app of the `app` fixture served over HTTP on 127.0.0.1 (a free port) from a
  background thread; yields its base URL ("http://127.0.0.1:PORT").
- browser: one headless Chromium for the session (Debian's /usr/bin/chromium, or $CHROMIUM).
- page: a fresh browser context and page per test, with base_url set to the live server, so
  `page.goto("/directory/people/")` works. A failing test leaves a screenshot FAILED-<test>.png.
- logged_in_page: that page, logged in as a TECH_ADMIN through the real login form.

Browser tests run on SQLite only (the database does not change what a browser sees, and one
database keeps them fast): `db_url` below replaces the conftest's per-database parameter.
"""
import os
import threading

import pytest
from werkzeug.serving import make_server

from tests import support
from tests.e2e import screenshot

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 10_000
ADMIN_EMAIL = "browser-admin@example.org"


@pytest.fixture
def db_url(database_urls):
    return database_urls["sqlite"]


@pytest.fixture
def live_server(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
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
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        screenshot(tab, f"FAILED-{request.node.name}")
    context.close()


@pytest.fixture
def logged_in_page(page, app):
    support.make_user(ADMIN_EMAIL, "TECH_ADMIN")
    page.goto("/login")
    page.get_by_label("Email").fill(ADMIN_EMAIL)
    page.get_by_label("Password").fill(support.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")
    return page
