"""People: the list, search, paging, a person's page, create, edit, archive and restore."""
import re
from datetime import date, datetime, timedelta, timezone

from pcosync.extensions import db
from pcosync.models import Address, Person
from pcosync.services.directory import groups as directory_groups
from pcosync.services.rules.state import person_hash_from_local
from tests.directory.helpers import post, text_of
from tests.factories import make_family, make_group, make_person
from tests.support import fresh

VALID = {"first_name": "Grace", "last_name": "Hopper", "status": "active"}


def test_list_shows_people_by_last_then_first_name(admin_client):
    make_person("Zed", "Adams", emails=["zed@example.org"], phones=["503-555-0199"])
    make_person("Amy", "Brown")
    make_person("Abe", "Adams")
    page = text_of(admin_client.get("/directory/people/"))
    assert page.index("Adams, Abe") < page.index("Adams, Zed") < page.index("Brown, Amy")
    assert "zed@example.org" in page and "503-555-0199" in page
    assert "3 people" in page and "Showing" not in page


def test_list_shows_the_primary_email(admin_client):
    person = make_person("Ann", "Lee", emails=["first@example.org"])
    from pcosync.services.directory.contacts import add_contact
    add_contact(person, "emails", {"address": "main@example.org", "location": "Home",
                                   "is_primary": True})
    page = text_of(admin_client.get("/directory/people/"))
    assert "main@example.org" in page and "first@example.org" not in page


def test_person_page_shows_everything(admin_client):
    person = make_person("Ann", "Lee", emails=["ann@example.org"], phones=["(503) 555-0101"],
                         middle_name="Q", nickname="Annie", gender="Female",
                         birthdate=date(1980, 5, 1), membership="Member",
                         allergies="Peanuts", photo_url="https://img.example.org/ann.jpg",
                         verification_status="verified")
    person.addresses.append(Address(street_line_1="1 Main St", city="Portland", zip="97201",
                                    location="Home", is_primary=True))
    person.pco_id = "12345"
    person.pco_synced_at = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    db.session.commit()
    family = make_family("Lee family", [person])
    directory_groups.add_membership(make_group("Choir"), person.id, "leader")
    response = admin_client.get(f"/directory/people/{person.id}")
    assert response.status_code == 200
    page = text_of(response)
    for expected in ("Annie Lee", "Q", "Female", "May 1, 1980", "Member", "ann@example.org",
                     "(503) 555-0101", "1 Main St, Portland, 97201", "Lee family", "Choir",
                     "Leader", "Peanuts", "Verified", "12345", "Jan 2, 2026, 3:04"):
        assert expected in page, expected
    html = response.get_data(as_text=True)
    assert "/sandbox/people/12345" in html  # Open in PCO: the sandbox is the PCO in use here
    assert 'src="https://img.example.org/ann.jpg"' in html
    assert f'href="/directory/families/{family.id}"' in html


def test_local_person_says_not_linked(admin_client):
    person = make_person()
    page = text_of(admin_client.get(f"/directory/people/{person.id}"))
    assert "Not linked to PCO yet" in page
    assert "planningcenteronline.com" not in page


def test_unknown_person_is_404(admin_client):
    assert admin_client.get("/directory/people/999999").status_code == 404
    assert admin_client.get("/directory/people/999999/edit").status_code == 404


def test_user_content_is_escaped(admin_client):
    person = make_person("<script>alert(1)</script>", "O'Brien & <b>Sons</b>",
                         allergies="<img src=x onerror=alert(1)>")
    for path in ("/directory/people/", f"/directory/people/{person.id}"):
        html = admin_client.get(path).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in html
        assert "<b>Sons</b>" not in html and "<img src=x" not in html
        assert "&lt;script&gt;" in html


def test_a_photo_url_that_is_not_a_web_address_is_never_a_link(admin_client):
    person = make_person(photo_url="javascript:alert(1)")
    html = admin_client.get(f"/directory/people/{person.id}").get_data(as_text=True)
    assert 'href="javascript:' not in html and 'src="javascript:' not in html


def test_create_person(admin_client):
    response = admin_client.get("/directory/people/new")
    assert response.status_code == 200 and b'name="first_name"' in response.data
    data = dict(VALID, middle_name=" ", birthdate="1906-12-09", email=" Grace@Example.ORG ",
                phone="+1 (503) 555-0123", allergies="None", photo_url="https://x.org/g.png")
    response = post(admin_client, "/directory/people/new", data)
    assert response.status_code == 302
    person = db.session.query(Person).one()
    assert response.headers["Location"] == f"/directory/people/{person.id}"
    assert (person.first_name, person.last_name, person.birthdate) == (
        "Grace", "Hopper", date(1906, 12, 9))
    assert person.middle_name is None and person.search_name == "grace hopper"
    assert person.pco_id is None and person.pco_synced_hash is None
    assert [(e.address, e.normalized, e.is_primary) for e in person.emails] == [
        ("Grace@Example.ORG", "grace@example.org", True)]
    assert [(p.number, p.digits) for p in person.phone_numbers] == [
        ("+1 (503) 555-0123", "15035550123")]
    assert "Grace Hopper was added" in text_of(admin_client.get(response.headers["Location"]))


def assert_refused(response, *messages):
    assert response.status_code == 422
    page = text_of(response)
    for message in messages:
        assert message in page, message
    assert db.session.query(Person).count() == 0


def test_create_requires_names(admin_client):
    response = post(admin_client, "/directory/people/new", {"status": "active"})
    assert_refused(response, "Enter a first name.", "Enter a last name.")
    html = response.get_data(as_text=True)
    assert 'id="first_name-error"' in html and 'aria-invalid="true"' in html


def test_create_refuses_too_long_values(admin_client):
    data = dict(VALID, first_name="x" * 121, membership="m" * 121, photo_url="https://x.org/"
                + "p" * 500)
    assert_refused(post(admin_client, "/directory/people/new", data),
                   "Field cannot be longer than 120 characters.",
                   "Field cannot be longer than 500 characters.")


def test_create_refuses_a_bad_email_and_phone(admin_client):
    data = dict(VALID, email="not-an-email", phone="call me")
    assert_refused(post(admin_client, "/directory/people/new", data),
                   "Enter an email address like name@example.org.",
                   "Enter a phone number with at least 3 digits.")


def test_create_refuses_a_future_birthdate_and_a_bad_date(admin_client):
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    assert_refused(post(admin_client, "/directory/people/new", dict(VALID, birthdate=tomorrow)),
                   "The birthdate can't be in the future.")
    assert_refused(post(admin_client, "/directory/people/new", dict(VALID, birthdate="31/02/x")),
                   "Not a valid date value.")


def test_create_refuses_an_unknown_status_and_a_script_url(admin_client):
    data = dict(VALID, status="deleted", photo_url="javascript:alert(1)")
    assert_refused(post(admin_client, "/directory/people/new", data), "Not a valid choice.",
                   "Enter a web address starting with https:// or http://.")


def test_refused_form_keeps_what_was_typed(admin_client):
    response = post(admin_client, "/directory/people/new",
                    dict(VALID, last_name="", nickname="Amazing"))
    assert 'value="Amazing"' in response.get_data(as_text=True)


def linked_person():
    """A person as a pull leaves them: linked to PCO, hash agreed."""
    person = make_person("Ann", "Lee", birthdate=None, emails=["ann@example.org"])
    person.pco_id, person.pco_updated_at = "777", datetime(2026, 1, 1, tzinfo=timezone.utc)
    person.pco_synced_hash = person_hash_from_local(person)
    db.session.commit()
    return person


def test_edit_person_marks_it_changed_for_the_push_without_touching_the_pco_link(admin_client):
    person = linked_person()
    before = (person.pco_id, person.pco_updated_at, person.pco_synced_hash)
    form = admin_client.get(f"/directory/people/{person.id}/edit").get_data(as_text=True)
    assert 'value="Ann"' in form
    data = dict(VALID, first_name="Anna", last_name="Lee-Smith", status="inactive",
                allergies="Bees", verification_status="pending")
    response = post(admin_client, f"/directory/people/{person.id}/edit", data)
    assert response.status_code == 302
    person = fresh(Person, person.id)
    assert (person.first_name, person.last_name, person.status) == ("Anna", "Lee-Smith",
                                                                    "inactive")
    assert person.search_name == "anna lee-smith" and person.allergies == "Bees"
    assert (person.pco_id, person.pco_updated_at, person.pco_synced_hash) == before
    assert person_hash_from_local(person) != person.pco_synced_hash


def test_edit_only_local_fields_keeps_the_synced_hash_equal(admin_client):
    person = linked_person()
    data = dict(VALID, first_name="Ann", last_name="Lee", birthdate="", allergies="Dust")
    post(admin_client, f"/directory/people/{person.id}/edit", data)
    person = fresh(Person, person.id)
    assert person.allergies == "Dust"
    assert person_hash_from_local(person) == person.pco_synced_hash


def test_edit_keeps_a_gender_from_pco_the_form_does_not_list(admin_client):
    person = make_person(gender="Nonbinary")
    html = admin_client.get(f"/directory/people/{person.id}/edit").get_data(as_text=True)
    assert '<option selected value="Nonbinary">' in html
    post(admin_client, f"/directory/people/{person.id}/edit",
         dict(VALID, gender="Nonbinary"))
    assert fresh(Person, person.id).gender == "Nonbinary"


def test_edit_validation_shows_messages_and_changes_nothing(admin_client):
    person = make_person()
    response = post(admin_client, f"/directory/people/{person.id}/edit",
                    dict(VALID, first_name="", email="ignored"))
    assert response.status_code == 422 and "Enter a first name." in text_of(response)
    assert fresh(Person, person.id).first_name == "Ann"


def test_archive_hides_and_restore_brings_back(admin_client):
    person = linked_person()
    make_person("Bob", "Lee")
    response = post(admin_client, f"/directory/people/{person.id}/archive")
    assert response.status_code == 302
    archived = fresh(Person, person.id)
    assert archived is not None and archived.archived_at is not None
    assert archived.pco_id == "777"
    listing = text_of(admin_client.get("/directory/people/"))
    assert "Lee, Bob" in listing and "Lee, Ann" not in listing
    listing = text_of(admin_client.get("/directory/people/?archived=1"))
    assert "Lee, Ann" in listing and "Lee, Bob" not in listing
    assert "Archived on" in text_of(admin_client.get(f"/directory/people/{person.id}"))
    post(admin_client, f"/directory/people/{person.id}/restore")
    assert fresh(Person, person.id).archived_at is None
    assert "Lee, Ann" in text_of(admin_client.get("/directory/people/"))


def test_archive_is_post_only(admin_client):
    person = make_person()
    assert admin_client.get(f"/directory/people/{person.id}/archive").status_code == 405
    assert fresh(Person, person.id).archived_at is None


def test_the_gender_select_lists_pcos_values_once(admin_client):
    """PCO's Male and Female are the only values offered (the form once offered M and F beside
    them, so a person pulled from PCO saw each twice)."""
    person = make_person(gender="Male")
    html = admin_client.get(f"/directory/people/{person.id}/edit").get_data(as_text=True)
    select = re.search(r'<select[^>]*name="gender".*?</select>', html, re.S).group(0)
    assert re.findall(r'<option[^>]*value="([^"]*)"', select) == ["", "Male", "Female"]
    assert '<option selected value="Male">' in select
    post(admin_client, f"/directory/people/{person.id}/edit", dict(VALID, gender="Female"))
    assert fresh(Person, person.id).gender == "Female"


def test_open_in_pco_links_lead_to_the_real_pco_when_it_is_the_pco_in_use(app):
    from pcosync.models import Family, Group
    from pcosync.services.directory.pco_pages import pco_page_url

    app.config["PCO_API_URL"] = "https://api.planningcenteronline.com"
    assert pco_page_url(Person(pco_id="7")) == (
        "https://people.planningcenteronline.com/people/AC7")
    assert pco_page_url(Family(pco_household_id="8")) == (
        "https://people.planningcenteronline.com/households/8")
    assert pco_page_url(Group(pco_group_id="9")) == (
        "https://groups.planningcenteronline.com/groups/9")
    assert pco_page_url(Group(name="Local choir")) is None
