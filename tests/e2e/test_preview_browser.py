"""A preview in headless Chromium: "Preview only" ticked, Full Sync pressed, the run's page shows
what it would change (and that nothing was sent to PCO), then "Apply" runs it for real. The
preview's page is saved as docs/preview.png, and a push preview's headcount as
docs/push-preview-scope.png."""

import pytest
import requests
from sqlalchemy import select

from pcosync.extensions import db
from pcosync.models import Person, SyncRun, SyncScope, utcnow
from pcosync.services.rules.scope import SCOPE_ROW_ID
from tests import support
from tests.e2e import docs_screenshot, docs_screenshots_at_both_widths
from tests.factories import make_person
from tests.plugins.browser import BROWSER_ADMIN_EMAIL

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


def test_a_push_preview_shows_its_headcount(logged_in_page, app, make_sandbox):
    """docs/push-preview-scope.png: a Push People preview under a push scope (adults only)."""
    make_sandbox(people=10, seed=3)
    for first_name, last_name in (("Amber", "Cedar"), ("Basil", "Dune"), ("Iris", "Heath")):
        make_person(first_name, last_name, emails=[f"{first_name.lower()}@example.org"])
    for first_name in ("Kit", "Tom"):
        make_person(first_name, "Young", child=True)
    make_person("Quinn", "Quiet", do_not_send_at=utcnow(), do_not_send_by=BROWSER_ADMIN_EMAIL)
    db.session.add(SyncScope(id=SCOPE_ROW_ID, push_adults_only=True))
    preview = support.run("Push People", preview=True)
    page = logged_in_page

    page.goto(f"/sync/runs/{preview.id}")

    assert page.locator("#push-headcount").inner_text() == (
        "Push People would add 3 people to PCO; 2 are outside what syncs (Kit Young, Tom "
        "Young); 1 is marked do not send (Quinn Quiet).")
    docs_screenshot(page, "push-preview-scope", full_page=True)
