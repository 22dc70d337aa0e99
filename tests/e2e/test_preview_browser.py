"""A preview in headless Chromium: "Preview only" ticked, Full Sync pressed, the run's page shows
what it would change (and that nothing was sent to PCO), then "Apply" runs it for real. The
preview's page is saved as docs/preview.png."""

import pytest
import requests
from sqlalchemy import select

from pcosync.extensions import db
from pcosync.models import Person, SyncRun
from tests import support
from tests.e2e import docs_screenshot, docs_screenshots_at_both_widths

pytestmark = pytest.mark.browser
BURST_WAIT_MS = 20_000


@pytest.fixture
def changed_in_pco(app, make_sandbox):
    """A church pulled once; since then PCO renamed three people and deleted one."""
    server = make_sandbox(people=40, seed=5)
    support.run("Full Sync")
    people = db.session.scalars(select(Person).where(Person.child.is_(False))
                                .order_by(Person.id).limit(4)).all()
    for person, nickname in zip(people, ("Bex", "Jim", "Kate")):
        body = {"data": {"type": "Person", "id": person.pco_id,
                         "attributes": {"nickname": nickname}}}
        requests.patch(f"{server.url}/people/v2/people/{person.pco_id}", json=body,
                       auth=("sandbox", "sandbox"), timeout=10).raise_for_status()
    requests.delete(f"{server.url}/people/v2/people/{people[3].pco_id}",
                    auth=("sandbox", "sandbox"), timeout=10).raise_for_status()
    return [person.id for person in people]


def nicknames(ids):
    db.session.expire_all()
    return [db.session.get(Person, person_id).nickname for person_id in ids]


def test_a_preview_shows_what_a_full_sync_would_do_then_apply_runs_it(
        logged_in_page, app, changed_in_pco):
    page = logged_in_page
    before = nicknames(changed_in_pco[:3])
    page.goto("/sync/")
    pull = page.locator("form", has=page.get_by_role("button", name="Full Sync"))
    pull.get_by_label("Preview only").check()
    pull.get_by_role("button", name="Full Sync").click()
    page.wait_for_url("**/sync/runs/*")
    support.work_burst(app)  # the worker runs the preview
    page.locator("#preview-changes").wait_for(timeout=BURST_WAIT_MS)  # the page reloads

    assert page.locator("#preview-notice").is_visible()
    person = page.locator("#preview-changes h3", has_text="People").first.inner_text()
    assert "3 updated" in person and "1 archived" in person
    assert page.locator("td", has_text="nickname").count() >= 3
    assert "Bex" in page.locator("#preview-changes").inner_text()
    assert "None: it only read from PCO." in page.locator("#preview-writes").inner_text()
    assert nicknames(changed_in_pco[:3]) == before  # nothing written here
    docs_screenshot(page, "preview", full_page=True)
    docs_screenshots_at_both_widths(page, "preview")

    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**/sync/")
    support.work_burst(app)  # the real Full Sync
    real = db.session.scalars(select(SyncRun).where(SyncRun.parent_id.is_(None))
                              .order_by(SyncRun.id.desc())).first()
    assert (real.kind, real.preview, real.status) == ("Full Sync", False, "COMPLETED")
    assert nicknames(changed_in_pco[:3]) == ["Bex", "Jim", "Kate"]
    assert db.session.get(Person, changed_in_pco[3]).archived_at is not None
