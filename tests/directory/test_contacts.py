"""A person's emails, phone numbers and addresses: add, edit, remove, without JavaScript."""
from pcosync.extensions import db
from pcosync.models import Address, Email, Person, PhoneNumber
from tests.directory.helpers import post, text_of
from tests.factories import make_person
from tests.support import fresh


def contacts_url(person):
    return f"/directory/people/{person.id}/contacts"


def test_contacts_page_lists_forms_for_each_contact_point(admin_client):
    person = make_person(emails=["ann@example.org"], phones=["503-555-0101"])
    response = admin_client.get(contacts_url(person))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    email = person.emails[0]
    assert f'name="emails-{email.id}-address"' in html and 'value="ann@example.org"' in html
    assert f'action="/directory/people/{person.id}/emails/{email.id}/remove"' in html
    for kind in ("emails", "phones", "addresses"):
        assert f'action="/directory/people/{person.id}/{kind}/new"' in html


def test_add_email_derives_the_search_key_and_first_is_primary(admin_client):
    person = make_person()
    response = post(admin_client, f"/directory/people/{person.id}/emails/new",
                    {"new-emails-address": " Ann@Example.ORG ", "new-emails-location": "Work"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{contacts_url(person)}#emails")
    email = db.session.query(Email).one()
    assert (email.address, email.normalized, email.location, email.is_primary) == (
        "Ann@Example.ORG", "ann@example.org", "Work", True)
    assert email.pco_id is None


def test_marking_one_primary_clears_the_others(admin_client):
    person = make_person(emails=["one@example.org"])
    post(admin_client, f"/directory/people/{person.id}/emails/new",
         {"new-emails-address": "two@example.org", "new-emails-location": "Home",
          "new-emails-is_primary": "y"})
    primaries = {e.address: e.is_primary for e in fresh(Person, person.id).emails}
    assert primaries == {"one@example.org": False, "two@example.org": True}


def test_edit_phone_keeps_digits_in_step(admin_client):
    person = make_person(phones=["503-555-0101"])
    phone = person.phone_numbers[0]
    prefix = f"phones-{phone.id}-"
    response = post(admin_client, f"/directory/people/{person.id}/phones/{phone.id}",
                    {prefix + "number": "(971) 555-0000", prefix + "location": "Work",
                     prefix + "is_primary": "y"})
    assert response.status_code == 302
    phone = fresh(PhoneNumber, phone.id)
    assert (phone.number, phone.digits, phone.location) == ("(971) 555-0000", "9715550000",
                                                            "Work")


def test_add_and_edit_address(admin_client):
    person = make_person()
    post(admin_client, f"/directory/people/{person.id}/addresses/new",
         {"new-addresses-street_line_1": "1 Main St", "new-addresses-city": "Portland",
          "new-addresses-zip": "97201", "new-addresses-location": "Home"})
    address = db.session.query(Address).one()
    assert (address.person_id, address.family_id, address.is_primary) == (person.id, None, True)
    prefix = f"addresses-{address.id}-"
    post(admin_client, f"/directory/people/{person.id}/addresses/{address.id}",
         {prefix + "street_line_1": "2 Oak Ave", prefix + "city": "Salem", prefix + "zip": "",
          prefix + "location": "Home", prefix + "is_primary": "y"})
    address = fresh(Address, address.id)
    assert address.one_line() == "2 Oak Ave, Salem"
    assert "2 Oak Ave, Salem" in text_of(admin_client.get(f"/directory/people/{person.id}"))


def test_invalid_contact_shows_its_message_in_place(admin_client):
    person = make_person(emails=["ann@example.org"])
    email = person.emails[0]
    prefix = f"emails-{email.id}-"
    response = post(admin_client, f"/directory/people/{person.id}/emails/{email.id}",
                    {prefix + "address": "no at sign", prefix + "location": "Home"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert f'id="{prefix}address-error"' in html
    assert "Enter an email address like name@example.org." in text_of(response)
    assert 'value="no at sign"' in html
    assert fresh(Email, email.id).address == "ann@example.org"


def test_invalid_new_contacts_are_refused(admin_client):
    person = make_person()
    cases = [("emails", {"new-emails-address": "", "new-emails-location": "Home"},
              "Enter an email address."),
             ("emails", {"new-emails-address": "a@b.org" + "x" * 320,
                         "new-emails-location": "Home"},
              "Field cannot be longer than 320 characters."),
             ("phones", {"new-phones-number": "ab", "new-phones-location": "Mobile"},
              "Enter a phone number with at least 3 digits."),
             ("addresses", {"new-addresses-city": "Salem", "new-addresses-location": "Home"},
              "Enter the street."),
             ("addresses", {"new-addresses-street_line_1": "1 Main", "new-addresses-zip": "9" * 41,
                            "new-addresses-location": "Home"},
              "Field cannot be longer than 40 characters.")]
    for kind, data, message in cases:
        response = post(admin_client, f"/directory/people/{person.id}/{kind}/new", data)
        assert response.status_code == 422, (kind, data)
        assert message in text_of(response), message
    person = fresh(Person, person.id)
    assert not (person.emails or person.phone_numbers or person.addresses)


def test_remove_contact_from_pco_says_the_next_push_removes_it_there(admin_client):
    person = make_person(emails=["ann@example.org"], phones=["503-555-0101"])
    email, phone = person.emails[0], person.phone_numbers[0]
    email.pco_id = "e-1"
    db.session.commit()
    page = admin_client.get(contacts_url(person)).get_data(as_text=True)
    assert "The next Push People removes it from PCO too." in page  # the confirmation
    response = post(admin_client, f"/directory/people/{person.id}/emails/{email.id}/remove")
    assert response.status_code == 302
    assert "The next Push People removes it from PCO too." in text_of(
        admin_client.get(response.headers["Location"]))
    post(admin_client, f"/directory/people/{person.id}/phones/{phone.id}/remove")
    person = fresh(Person, person.id)
    assert person.emails == [] and person.phone_numbers == []


def test_contact_of_another_person_is_404(admin_client):
    ann = make_person(emails=["ann@example.org"])
    bob = make_person("Bob", "Lee")
    email = ann.emails[0]
    response = post(admin_client, f"/directory/people/{bob.id}/emails/{email.id}/remove")
    assert response.status_code == 404
    assert fresh(Email, email.id) is not None


def test_unknown_kind_is_404(admin_client):
    person = make_person()
    assert post(admin_client, f"/directory/people/{person.id}/faxes/new").status_code == 404
