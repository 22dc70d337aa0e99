"""The review queue in headless Chromium: possible duplicates held back from PCO and a conflict,
each with its actions; pressing one records who decided. Saved as docs/review-queue.png."""
from datetime import date

import pytest
import requests
from sqlalchemy import select

from pcosync.extensions import db
from pcosync.models import Person, ReviewItem, ReviewStatus
from tests import support
from tests.e2e import docs_screenshot, docs_screenshots_at_both_widths
from tests.factories import make_person
from tests.plugins.browser import BROWSER_ADMIN_EMAIL

pytestmark = pytest.mark.browser
BORN = date(1979, 4, 2)


@pytest.fixture
def queue(app, make_sandbox):
    """A local duplicate of a linked person, and a nickname changed here and in PCO."""
    server = make_sandbox(people=20, seed=3)
    make_person("Ruth", "Naomi", birthdate=BORN, emails=["ruth@example.org"])
    support.run("Push People")
    make_person("Ruth", "Naomi", birthdate=BORN, emails=["ruth@example.org"])
    support.run("Push People")  # held back: queued
    support.run("People")
    person = db.session.scalar(select(Person).where(Person.pco_id.is_not(None),
                                                    Person.last_name != "Naomi").limit(1))
    person.nickname = "Here"
    db.session.commit()
    body = {"data": {"type": "Person", "id": person.pco_id, "attributes": {"nickname": "There"}}}
    requests.patch(f"{server.url}/people/v2/people/{person.pco_id}", json=body,
                   auth=("sandbox", "sandbox"), timeout=10).raise_for_status()
    support.run("People")  # the conflict
    return server


def test_the_review_queue_shows_each_kind_with_its_actions(logged_in_page, queue):
    page = logged_in_page
    page.goto("/sync/")
    page.get_by_role("link", name="Review queue").first.click()
    page.wait_for_url("**/sync/review")

    assert page.get_by_role("heading", name="Possible duplicates here (1)").is_visible()
    assert page.get_by_role("heading", name="Changed here and in PCO (1)").is_visible()
    assert page.get_by_role("button", name="Keep mine").is_visible()
    docs_screenshot(page, "review-queue", full_page=True)
    docs_screenshots_at_both_widths(page, "review-queue")
    # The keyboard reaches each item's actions: a merge button, named in words, then Keep mine.
    page.set_viewport_size({"width": 1280, "height": 900})
    reached = []
    for _ in range(60):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.textContent.trim()"))
        if reached[-1] == "Keep mine":
            break
    merges = [text for text in reached if text.startswith("Merge, keep")]
    assert merges and all("(in PCO" in t or "(made here" in t for t in merges), reached
    assert reached[-1] == "Keep mine"

    page.get_by_role("button", name="Different people").click()
    page.wait_for_url("**/sync/review")
    assert page.get_by_text("Marked as different people").first.is_visible()
    assert page.get_by_role("heading", name="Possible duplicates here (1)").count() == 0
    db.session.expire_all()
    decided = db.session.scalar(select(ReviewItem).where(
        ReviewItem.status == ReviewStatus.RESOLVED))
    assert decided.resolved_by == BROWSER_ADMIN_EMAIL and decided.resolved_at is not None
