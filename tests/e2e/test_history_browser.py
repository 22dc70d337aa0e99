"""The change history in headless Chromium: a person's history in words, and a run's changes
with the revert that asks first, at desktop width and at 360 px. Saved as docs/history-person.png
and docs/history-run.png."""
import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from pcosync.extensions import db
from pcosync.models import Person
from tests import support
from tests.e2e import docs_screenshot
from tests.webhooks.pco_events import store, tick

pytestmark = pytest.mark.browser


@pytest.fixture
def bad_pull(app, make_sandbox):
    """A pull that took a bad edit made in PCO (a nickname and a last name)."""
    sandbox = make_sandbox(people=8, seed=3)
    support.run("People")
    tick(sandbox)
    record = sorted(store(sandbox).db.people.rows.values(), key=lambda r: r["id"])[0]
    store(sandbox).update_person(record["id"], {"nickname": "Oops", "last_name": "Wrong"})
    pull = support.run("People")
    person = db.session.scalar(select(Person).where(Person.pco_id == str(record["id"])))
    return pull, person


def fits(section):
    """Nothing in the section is wider than the section (long values wrap)."""
    return section.evaluate("element => element.scrollWidth <= element.clientWidth + 1")


def test_a_persons_history_and_a_runs_revert(logged_in_page, bad_pull):
    pull, person = bad_pull
    page = logged_in_page
    page.goto(f"/directory/people/{person.id}")
    history = page.locator("section", has=page.get_by_role("heading", name="History"))
    assert history.get_by_text("Nickname (empty) → Oops").is_visible()
    assert history.get_by_text("from PCO by a sync").first.is_visible()
    docs_screenshot(history, "history-person")

    page.goto(f"/sync/runs/{pull.id}")
    changes = page.locator("section", has=page.get_by_role("heading", name="What it changed"))
    assert changes.get_by_role("link", name="Revert this run…").is_visible()
    docs_screenshot(changes, "history-run")
    page.set_viewport_size({"width": 360, "height": 800})
    assert fits(changes)

    changes.get_by_role("link", name="Revert this run…").click()
    # A click does not wait for the page it opens.
    expect(page.get_by_text("2 fields on 1 record")).to_be_visible()
    assert page.get_by_text("1 PCO write will follow").first.is_visible()
    page.get_by_role("button", name="Revert 2 fields and push 1 to PCO").click()
    page.wait_for_url(f"**/sync/runs/{pull.id}")
    assert page.get_by_text("Reverted: 2 fields on 1 record").is_visible()
    assert support.fresh(Person, person.id).nickname is None
