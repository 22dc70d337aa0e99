"""The duplicate finder's page and the review queue's bulk action in headless Chromium, at a
phone's 360 px. Saved as docs/duplicates.png and docs/review-bulk.png."""
from datetime import date

import pytest
from sqlalchemy import select

from pcosync.extensions import db
from pcosync.models import DistinctPeople, ReviewItem, ReviewKind, ReviewStatus
from pcosync.services.duplicates import pairs
from tests.e2e import docs_screenshot
from tests.factories import make_person

pytestmark = pytest.mark.browser
BORN = date(1979, 4, 2)
ELM = {"street_line_1": "1 Elm St", "city": "Salem", "state": "OR", "zip": "97301"}


def fits_360(page):
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_the_duplicates_page_at_360_px(logged_in_page):
    make_person("William", "Moss", birthdate=BORN, addresses=[ELM])
    make_person("Bill", "Moss", birthdate=BORN, addresses=[ELM])
    make_person("Ruth", "Naomi", birthdate=BORN, emails=["ruth@example.org"], pco_id="11")
    make_person("Ruth", "Naomi", birthdate=None, emails=["ruth@example.org"], pco_id="12")
    make_person("Ada", "Johnson", birthdate=BORN)
    make_person("Ada", "Jonhson", birthdate=BORN)
    pairs.scan()
    page = logged_in_page
    page.set_viewport_size({"width": 360, "height": 800})

    page.goto("/sync/duplicates")

    assert page.get_by_text("Duplicates in PCO too").is_visible()
    assert page.get_by_text("similar first name").first.is_visible() and fits_360(page)
    docs_screenshot(page, "duplicates", full_page=True)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Different people").first.click()
    page.wait_for_url("**/sync/duplicates?page=1")
    assert page.get_by_text("are marked as different people").is_visible()
    db.session.expire_all()
    assert db.session.scalar(select(DistinctPeople.id)) is not None


def test_a_bulk_action_says_how_many_first(logged_in_page):
    for n, name in enumerate(("Ann", "Beth", "Cara")):
        a, b = make_person(name, "Lee", birthdate=BORN), make_person(name, "Lee", birthdate=None)
        db.session.add(ReviewItem(kind=ReviewKind.DUPLICATE_HERE, dedupe_key=f"k{n}",
                                  summary=f"{name} Lee may be the other {name} Lee.",
                                  person_id=a.id, other_person_id=b.id))
    db.session.commit()
    page = logged_in_page
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto("/sync/review")
    checkboxes = page.get_by_role("checkbox", name="Choose this item")
    checkboxes.nth(0).check()
    checkboxes.nth(1).check()

    page.get_by_role("button", name="All ticked are different").click()

    assert page.get_by_role("heading", name="Mark 2 items as different people?").is_visible()
    assert fits_360(page)
    docs_screenshot(page, "review-bulk", full_page=True)
    page.get_by_role("button", name="Mark 2 items as different people").click()
    page.wait_for_url("**/sync/review")
    assert page.get_by_text("2 items done.").is_visible()
    db.session.expire_all()
    assert len(db.session.scalars(select(ReviewItem).where(
        ReviewItem.status == ReviewStatus.RESOLVED)).all()) == 2
