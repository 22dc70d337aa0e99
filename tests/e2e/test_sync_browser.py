"""The PCO Sync page in headless Chromium: Test Connection, a Full Sync with live progress,
Cancel, and a bad-credential error. A real worker process runs the jobs."""
import os
import subprocess
import sys
import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from pcosync.extensions import db
from pcosync.models import Person
from tests.e2e import docs_screenshots_at_both_widths, screenshot
from tests.support import ROOT

pytestmark = pytest.mark.browser


@pytest.fixture
def sandbox_settings():
    """300 people behind 100 ms of latency per request: a Full Sync takes a few seconds, long
    enough to watch the counters move (the page polls every 300 ms in tests, see live_app)."""
    return {"people": 300, "seed": 1, "SANDBOX_FAULTS": {"latency": 0.1}}


@pytest.fixture
def worker(app, sandbox):
    env = dict(os.environ, FLASK_APP="wsgi", SECRET_KEY="browser-tests",
               DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
               REDIS_URL=app.config["REDIS_URL"], RQ_QUEUE=app.config["RQ_QUEUE"],
               PCO_API_URL=sandbox.url, PCO_APP_ID="sandbox", PCO_SECRET="sandbox",
               MEDIA_URL=app.config["MEDIA_URL"], MEDIA_DOWNLOAD_INTERVAL="0", LOG_LEVEL="WARNING")
    process = subprocess.Popen([sys.executable, "-m", "flask", "worker"], env=env, cwd=ROOT)
    yield process
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


def counter(page, name):
    return int(page.locator(f"#count-{name}").inner_text())


def start_full_sync(page):
    clicked = time.perf_counter()
    page.get_by_role("button", name="Full Sync").click()
    page.locator("#progress").wait_for(state="visible")
    return time.perf_counter() - clicked


def test_connection_shows_the_organization(logged_in_page, sandbox):
    page = logged_in_page
    page.goto("/sync/")
    assert page.locator("#sandbox-notice").is_visible()
    page.get_by_role("button", name="Test Connection").click()
    result = page.locator("#connection-result")
    result.filter(has_text="Connected to").wait_for()
    assert "Sandbox Community Church" in result.inner_text()
    screenshot(page, "sync-idle")
    docs_screenshots_at_both_widths(page, "sync-idle")
    # The keyboard reaches, in reading order, Test Connection, then the run buttons.
    page.goto("/sync/")
    reached = []
    for _ in range(30):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.textContent.trim()"))
        if reached[-1] == "Full Sync":
            break
    assert reached.index("Test Connection") < reached.index("Sync People") < len(reached) - 1


def test_full_sync_shows_progress_then_a_completed_row(logged_in_page, worker):
    page = logged_in_page
    page.goto("/sync/")
    seconds_to_progress = start_full_sync(page)
    print(f"click to progress indicator: {seconds_to_progress * 1000:.0f} ms")
    assert page.get_by_role("button", name="Sync People").is_disabled()
    page.wait_for_function("() => Number(document.querySelector('#count-created').textContent) > 0",
                           timeout=20_000)
    seen_while_running = counter(page, "created")
    screenshot(page, "sync-running")
    docs_screenshots_at_both_widths(page, "sync-running", full_page=False)
    # The running panel turns into the result, which the page's first line says too.
    page.locator('#progress[data-state="done"]').wait_for(timeout=60_000)
    outcome = page.locator("#progress-outcome").inner_text()
    assert outcome.startswith("Full Sync finished:") and "See what it did" in outcome
    assert page.locator("#last-run-outcome").inner_text() in outcome
    assert page.locator("#cancel-form").is_hidden()
    row = page.locator("#history tbody tr").first
    row.locator(".badge-COMPLETED").wait_for()
    assert db.session.scalar(select(func.count()).select_from(Person)) == 300
    cells = row.locator("td").all_inner_texts()
    assert cells[0] == "Full Sync" and int(cells[4]) > seen_while_running > 0
    assert page.get_by_role("button", name="Sync People").is_enabled()
    screenshot(page, "sync-finished")
    docs_screenshots_at_both_widths(page, "sync-done")
    row.get_by_role("link", name="Full Sync").click()
    # A click does not wait for the page it opens: wait for its heading, then look.
    expect(page.locator("h1 .badge-COMPLETED")).to_be_visible()
    docs_screenshots_at_both_widths(page, "run-page", full_page=False)
    assert page.get_by_text("Families").first.is_visible()


def test_cancel_ends_the_run_cancelled(logged_in_page, worker):
    page = logged_in_page
    page.goto("/sync/")
    start_full_sync(page)
    page.wait_for_function("() => Number(document.querySelector('#count-created').textContent) > 0",
                           timeout=20_000)
    page.get_by_role("button", name="Cancel").click()
    page.locator('#progress[data-state="done"]').wait_for(timeout=30_000)
    assert "was cancelled after" in page.locator("#progress-outcome").inner_text()
    page.locator("#history tbody tr").first.locator(".badge-CANCELLED").wait_for()


def test_a_second_start_is_refused_with_a_message(logged_in_page, sandbox):
    page = logged_in_page
    page.goto("/sync/")
    start_full_sync(page)  # no worker: the run stays queued, so it is still active
    # A page that missed the start: its button still enabled when clicked. Enabled and clicked
    # in one go, or the page's next poll disables it again in between.
    page.get_by_role("button", name="Sync Groups").evaluate(
        "button => { button.disabled = false; button.click(); }")
    page.locator("#sync-message").filter(has_text="already running").wait_for()


def test_bad_credentials_show_the_error(logged_in_page, sandbox, app):
    app.config["PCO_SECRET"] = "not-the-secret"
    page = logged_in_page
    page.goto("/sync/")
    page.get_by_role("button", name="Test Connection").click()
    result = page.locator("#connection-result")
    result.filter(has_text="Connection failed").wait_for()
    assert "PCO_APP_ID" in result.inner_text()
    assert "not-the-secret" not in page.content()
