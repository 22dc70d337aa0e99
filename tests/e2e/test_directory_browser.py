"""The directory in a real browser: add a person, make a family, put them in it."""
import pytest
from playwright.sync_api import expect

from tests import support
from tests.e2e import docs_screenshots_at_both_widths, screenshot
from tests.factories import make_group, make_person

pytestmark = pytest.mark.browser


def create_person(page, first, last, email):
    page.goto("/directory/people/")
    page.get_by_role("link", name="Add a person").click()
    page.get_by_label("First name").fill(first)
    page.get_by_label("Last name").fill(last)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Birthdate").fill("1984-03-02")
    page.get_by_role("button", name="Add person").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{first} {last}")


def test_person_joins_a_new_family(logged_in_page):
    page = logged_in_page
    page.goto("/directory/people/new")
    page.get_by_label("Email").fill("not an email")
    page.get_by_role("button", name="Add person").click()
    expect(page.locator("#first_name-error")).to_have_text("Enter a first name.")
    expect(page.locator("#last_name-error")).to_have_text("Enter a last name.")
    expect(page.locator("#email-error")).to_have_text(
        "Enter an email address like name@example.org.")
    screenshot(page, "directory-person-form-errors")

    create_person(page, "Ruth", "Okafor", "ruth.okafor@example.org")
    expect(page.get_by_text("Ruth Okafor was added to the directory.")).to_be_visible()
    expect(page.get_by_role("link", name="ruth.okafor@example.org")).to_be_visible()
    screenshot(page, "directory-person")
    docs_screenshots_at_both_widths(page, "person-page")

    page.get_by_role("link", name="Families").first.click()
    page.get_by_role("link", name="Create a family").click()
    page.get_by_label("Family name").fill("Okafor household")
    page.get_by_role("button", name="Create family").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Okafor household")

    page.get_by_label("Find a person").fill("okafor")
    page.get_by_role("button", name="Search").click()
    page.get_by_label("Role for Ruth Okafor").select_option("adult")
    page.get_by_role("button", name="Add Ruth Okafor").click()

    expect(page.get_by_text("Ruth Okafor was added to the family.")).to_be_visible()
    members = page.locator("table.members")
    expect(members.get_by_role("link", name="Ruth Okafor")).to_be_visible()
    expect(members.get_by_text("Primary member")).to_be_visible()
    expect(page.get_by_role("heading", name="Members (1)")).to_be_visible()
    screenshot(page, "directory-family")

    page.goto("/directory/people/?q=ruth")
    expect(page.get_by_role("link", name="Okafor, Ruth")).to_be_visible()
    screenshot(page, "directory-people-search")


def test_contact_details_and_groups_work_without_javascript(browser, live_server, app):
    """Every directory form is a plain HTML form: the pages work with JavaScript off."""
    make_person("Ann", "Lee", emails=["ann@example.org"])
    make_group("Choir", "Music")
    support.make_user("nojs@example.org", "STAFF")
    context = browser.new_context(base_url=live_server, java_script_enabled=False,
                                  viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        log_in(page, "nojs@example.org")
        page.goto("/directory/people/?q=ann")
        page.get_by_role("link", name="Lee, Ann").click()
        page.get_by_role("link", name="Edit emails, phones, addresses").click()
        phones = page.locator("#phones")
        phones.get_by_label("Phone number").fill("x")
        phones.get_by_role("button", name="Add").click()
        expect(page.locator("#phones")).to_contain_text(
            "Enter a phone number with at least 3 digits.")
        screenshot(page, "directory-contacts-error")
        page.locator("#phones").get_by_label("Phone number").fill("503-555-0101")
        page.locator("#phones").get_by_role("button", name="Add").click()
        expect(page.get_by_text("The phone number was added.")).to_be_visible()
        expect(page.locator("#phones input[value='503-555-0101']")).to_be_visible()

        page.goto("/directory/groups/")
        page.get_by_role("link", name="Choir").click()
        page.get_by_label("Find a person").fill("503 555")
        page.get_by_role("button", name="Search").click()
        page.get_by_label("Role for Ann Lee").select_option("leader")
        page.get_by_role("button", name="Add Ann Lee").click()
        expect(page.get_by_role("heading", name="Leaders (1)")).to_be_visible()
        screenshot(page, "directory-group")
        page.goto("/directory/groups/")
        expect(page.get_by_role("heading", name="Music")).to_be_visible()
        screenshot(page, "directory-groups")
    finally:
        context.close()


def log_in(page, email):
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(support.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")
