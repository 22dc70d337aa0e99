"""Custom fields in headless Chromium: a person's fields by tab, edited with the inputs of their
types, and the admin's sync settings saved from the PCO Sync page. Saved as
docs/custom-fields-person.png and docs/custom-fields-settings.png (with UPDATE_DOCS=1)."""
import pytest
from playwright.sync_api import expect

from tests.directory.custom_field_helpers import church_fields, member_with_values
from tests.e2e import docs_screenshot, screenshot

pytestmark = pytest.mark.browser


def test_a_person_s_custom_fields_and_their_sync_settings(logged_in_page):
    ann = member_with_values(church_fields(), membership="Member",
                             emails=["ann.lee@example.org"], phones=["503-555-0101"])
    page = logged_in_page
    page.goto(f"/directory/people/{ann.id}")
    fields = page.locator("#custom-fields")
    expect(fields.get_by_role("heading", name="Membership")).to_be_visible()
    expect(fields.get_by_text("Mar 12, 2019")).to_be_visible()
    expect(fields.get_by_role("link", name="background-check.pdf")).to_be_visible()
    docs_screenshot(page, "custom-fields-person", full_page=True)

    fields.get_by_role("link", name="Edit custom fields").click()
    page.get_by_label("Prayer team").check()
    page.get_by_label("Years serving").fill("5")
    screenshot(page, "custom-fields-form")
    page.get_by_role("button", name="Save custom fields").click()
    expect(page.get_by_text("Saved: Serving interests and Years serving changed.")).to_be_visible()
    expect(page.locator("#custom-fields").get_by_text("Prayer team")).to_be_visible()

    page.goto("/sync/")
    page.locator("main").get_by_role("link", name="Custom fields").click()
    page.get_by_label("Years serving: Sync both ways").check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("1 field changed: Years serving now syncs both ways.")).to_be_visible()
    expect(page.get_by_label("Years serving: Sync both ways")).to_be_checked()
    docs_screenshot(page, "custom-fields-settings", full_page=True)
