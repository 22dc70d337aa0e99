"""The Sync page's schedules and webhook health panels in headless Chromium: schedules saved and
shown with their next run, webhooks set up with one click, a deactivated subscription brought
back by the daily check, a scheduled run skipped in the history. The panels are saved as
docs/sync-schedules.png and docs/webhook-health.png."""

import pytest
import requests

from pcosync import jobs
from pcosync.models import RunKind, utcnow
from pcosync.services.runs import schedules
from pcosync.services.runs.execute import execute_run
from pcosync.services.runs.lifecycle import start_run
from pcosync.services.webhooks.events import EVENTS
from tests import support
from tests.e2e import docs_screenshot, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def sandbox_for_page(app, make_sandbox, live_server):
    sandbox = make_sandbox(people=30, seed=9)
    app.config.update(PUBLIC_BASE_URL=live_server, PCO_WEBHOOK_SECRET="",
                      TIMEZONE="America/Chicago")
    return sandbox


def test_schedules_panel(logged_in_page, sandbox_for_page):
    page = logged_in_page
    page.goto("/sync/")
    panel = page.locator("#schedules")
    panel.get_by_role("checkbox", name="Every").check()
    panel.get_by_label("Quick Sync every how many minutes").fill("15")
    panel.get_by_role("checkbox", name="Daily at").check()
    panel.get_by_label("Full Sync daily at").fill("02:30")
    panel.get_by_label("then a Full Push").check()
    panel.get_by_role("button", name="Save schedules").click()
    page.get_by_text("Schedules saved; the worker runs them.").wait_for()
    assert "CST" in page.locator('[data-schedule="full-sync"]').inner_text()
    # A scheduled Quick Sync, and one that found a run going: the history says "schedule".
    schedules.run_scheduled(schedules.QUICK_SYNC, utcnow())
    going = start_run(RunKind.PEOPLE, triggered_by="browser-admin@example.org")
    schedules.run_scheduled(schedules.QUICK_SYNC, utcnow())
    execute_run(going.id)
    page.goto("/sync/")
    history = page.locator("#history")
    history.get_by_text("another run was going").wait_for()
    assert history.get_by_text("schedule", exact=True).count() == 2
    docs_screenshot(panel, "sync-schedules")


def test_webhook_health_panel(logged_in_page, sandbox_for_page, app):
    page = logged_in_page
    page.goto("/sync/")
    assert page.locator("#webhook-health-summary").inner_text().startswith("0 of")
    page.get_by_role("button", name="Set up webhooks").click()
    page.get_by_text("created").first.wait_for()
    events = len(EVENTS)
    assert page.locator("#webhook-health-summary").inner_text().startswith(
        f"{events} of {events}")
    # A change in PCO arrives here; then PCO switches one subscription off and the daily
    # check switches it back on.
    person = requests.get(sandbox_for_page.url + "/people/v2/people?per_page=1",
                          auth=("sandbox", "sandbox"), timeout=10).json()["data"][0]
    requests.patch(f"{sandbox_for_page.url}/people/v2/people/{person['id']}",
                   auth=("sandbox", "sandbox"), timeout=10,
                   json={"data": {"type": "Person", "attributes": {"nickname": "Seen"}}})
    assert support.wait_for_webhooks(sandbox_for_page)["idle"]
    table = sandbox_for_page.runtime.subscriptions
    victim = next(r for r in table.listed() if r["name"].endswith("email.updated"))
    table.set_active(victim["id"], False)
    jobs.check_webhooks()
    page.goto("/sync/")
    page.locator("#webhook-details > summary").click()  # the details are folded under one line
    row = page.locator('tr[data-event="people.v2.events.email.updated"]')
    assert "Re-activated" in row.inner_text()
    updated = page.locator('tr[data-event="people.v2.events.person.updated"]').inner_text()
    assert "never" not in updated
    docs_screenshot(page.locator("#webhook-title").locator("xpath=.."), "webhook-health")
    screenshot(page, "sync-page-with-schedules-and-webhooks")
