"""A person's custom fields in the directory: shown by tab and by type on the person's page
(hostile text escaped, a deleted field only when it holds a value), edited with an input per
type, checked before anything is saved, and saved keeping each row's PCO datum id."""
import re

import pytest
from werkzeug.datastructures import MultiDict

from pcosync.extensions import db
from pcosync.models import FieldTab, FieldValue
from pcosync.services.rules.state import person_state_from_local
from tests.directory.custom_field_helpers import (
    FORM_URL, church_fields, define, give, member_with_values, rows_of,
)
from tests.directory.helpers import text_of, token
from tests.factories import make_person


@pytest.fixture
def fields(app):
    return church_fields()


@pytest.fixture
def ann(fields):
    return member_with_values(fields)


def page_of(client, person):
    response = client.get(f"/directory/people/{person.id}")
    assert response.status_code == 200
    return response


def form_path(person):
    return f"/directory/people/{person.id}/custom-fields"


def as_shown(fields, **changes):
    """The form as the page shows Ann's values, with `changes` ({field name: input})."""
    inputs = {"Baptism date": "2019-03-12", "Membership class completed": "true",
              "Membership notes": "Joined from First Baptist\r\nPrefers texts",
              "Home group host": "", "Serving interests": ["Worship team", "Hospitality"],
              "T-shirt size": "M", "Years serving": "4"}
    inputs.update(changes)
    data = MultiDict()
    for name, value in inputs.items():
        definition = fields[name]
        data.add("fields", str(definition.id))
        for item in value if isinstance(value, list) else [value]:
            data.add(f"field-{definition.id}", item)
    return data


def post_form(client, person, data):
    data = MultiDict(data)
    data["csrf_token"] = token(client, form_path(person))
    return client.post(form_path(person), data=data)


# -- the person's page ------------------------------------------------------------------------

def test_the_person_page_shows_each_value_by_type_and_tab(admin_client, ann):
    response = page_of(admin_client, ann)
    page, html = text_of(response), response.get_data(as_text=True)
    for expected in ("Baptism date Mar 12, 2019", "Membership class completed Yes",
                     "Volunteer details", "T-shirt size M", "Years serving 4",
                     "Home group host —", "Membership notes Joined from First Baptist"):
        assert expected in page, expected
    assert page.index("Membership") < page.index("Serving") < page.index("Deleted in PCO")
    assert page.index("Deleted in PCO") < page.index("Previous church First Baptist")
    assert re.search(r"<ul class=\"chips\"><li>Worship team</li><li>Hospitality</li></ul>", html)
    assert f'<a href="{FORM_URL}" target="_blank" rel="noopener noreferrer">' \
           "background-check.pdf</a>" in html
    assert '<h4 class="field-heading">Volunteer details</h4>' in html
    assert 'href="/directory/people/%d/custom-fields"' % ann.id in html


def test_hostile_text_is_shown_as_text(admin_client, fields):
    person = make_person("Eve", "Hacker")
    fields["Baptism date"].tab.name = "<i>Tab</i>"
    give(person, fields["Membership notes"], "<script>alert('notes')</script>")
    give(person, fields["Serving interests"], '"><img src=x onerror=alert(1)>')
    give(person, fields["Background check form"], "<b>form</b>.pdf",
         file_name="<b>form</b>.pdf", file_url="javascript:alert(1)")
    db.session.commit()
    html = page_of(admin_client, person).get_data(as_text=True)
    for hostile in ("<script>alert", "<img src=x", "<b>form", "javascript:", "<i>Tab"):
        assert hostile not in html, hostile
    assert "&lt;script&gt;alert(&#39;notes&#39;)&lt;/script&gt;" in html
    assert "&lt;b&gt;form&lt;/b&gt;.pdf <span class=\"muted small\">(no link)</span>" in html
    edit = admin_client.get(form_path(person)).get_data(as_text=True)
    assert "<script>alert" not in edit and "<img src=x" not in edit


def test_only_tabs_with_fields_and_deleted_fields_with_values_show(admin_client, fields):
    db.session.add(FieldTab(name="Empty tab", sequence=0, pco_tab_id="t9"))
    loose = define(None, "Parking permit", "string", 1)  # local, in no tab
    db.session.commit()
    person = make_person("Bob", "Lee")
    person.field_values.append(FieldValue(definition_id=loose.id, value="P-12"))
    db.session.commit()
    page = text_of(page_of(admin_client, person))
    assert "Membership" in page and "Serving interests —" in page
    assert page.index("Serving") < page.index("Other fields Parking permit P-12")
    assert "Empty tab" not in page
    assert "Deleted in PCO" not in page and "Previous church" not in page


def test_without_custom_fields_there_is_nothing_to_show_or_edit(admin_client):
    person = make_person("Bob", "Lee")
    assert 'id="custom-fields-title"' not in page_of(admin_client, person).get_data(as_text=True)
    assert "There are no custom fields yet." in text_of(admin_client.get(form_path(person)))


# -- the form ---------------------------------------------------------------------------------

def test_the_form_has_an_input_that_fits_each_type(admin_client, fields, ann):
    html = admin_client.get(form_path(ann)).get_data(as_text=True)
    ids = {name: definition.id for name, definition in fields.items()}
    assert re.search(rf'<input type="date" id="field-{ids["Baptism date"]}" '
                     rf'name="field-{ids["Baptism date"]}" value="2019-03-12"', html)
    assert re.search(rf'<input type="number" id="field-{ids["Years serving"]}" [^>]*value="4" '
                     r'step="any"', html)
    assert f'<textarea id="field-{ids["Membership notes"]}"' in html
    assert f'<input type="text" id="field-{ids["Home group host"]}"' in html
    assert re.search(rf'<select id="field-{ids["Membership class completed"]}"[^>]*>\s*'
                     r'<option value="">Not set</option>\s*'
                     r'<option value="true" selected>Yes</option>', html)
    assert '<option value="M" selected>M</option>' in html
    ticked = re.findall(rf'name="field-{ids["Serving interests"]}" value="([^"]+)" checked', html)
    assert ticked == ["Worship team", "Hospitality"]
    assert 'value="Tech &amp; media">' in html
    page = text_of(admin_client.get(form_path(ann)))
    assert "Background check form · pull only background-check.pdf Read only. Files are " \
           "uploaded in PCO." in page
    assert "Previous church · deleted in PCO First Baptist Read only." in page
    assert f'name="field-{ids["Background check form"]}"' not in html


def test_saving_every_type_normalizes_and_keeps_the_datum_ids(admin_client, fields, ann):
    data = as_shown(fields, **{
        "Baptism date": "2020-01-05", "Membership class completed": "false",
        "Membership notes": "  New notes  ", "Home group host": "Yes, Tuesdays",
        "Serving interests": ["Hospitality", "Prayer team"], "T-shirt size": "L",
        "Years serving": "4.50"})
    response = post_form(admin_client, ann, data)
    assert response.status_code == 302
    assert rows_of(ann, fields["Baptism date"]) == [("2020-01-05", "d-f1")]
    assert rows_of(ann, fields["Membership class completed"]) == [("false", "d-f2")]
    assert rows_of(ann, fields["Membership notes"]) == [("New notes", "d-f3")]
    assert rows_of(ann, fields["Home group host"]) == [("Yes, Tuesdays", None)]
    assert rows_of(ann, fields["Serving interests"]) == [("Hospitality", "d-f6-3"),
                                                         ("Prayer team", None)]
    assert rows_of(ann, fields["T-shirt size"]) == [("L", "d-f7")]
    assert rows_of(ann, fields["Years serving"]) == [("4.5", "d-f8")]
    assert rows_of(ann, fields["Background check form"]) == [("background-check.pdf", "d-f9")]
    message = text_of(admin_client.get(response.headers["Location"]))
    assert "Saved: Baptism date, Membership class completed, Membership notes, Home group " \
           "host, Serving interests, T-shirt size and Years serving changed." in message
    assert "The next Push People sends Baptism date and Serving interests to PCO." in message


def test_the_form_sent_back_unchanged_changes_nothing(admin_client, fields, ann):
    before = {name: rows_of(ann, definition) for name, definition in fields.items()}
    response = post_form(admin_client, ann, as_shown(fields))
    assert "Nothing changed." in text_of(admin_client.get(response.headers["Location"]))
    # A date as PCO writes it is not rewritten; a paragraph's CR LF is the same text.
    assert {name: rows_of(ann, definition) for name, definition in fields.items()} == before


def test_an_invalid_date_or_number_saves_nothing_and_keeps_what_was_typed(admin_client,
                                                                          fields, ann):
    data = as_shown(fields, **{"Baptism date": "2019-02-30", "Years serving": "four",
                               "T-shirt size": "XL"})
    response = post_form(admin_client, ann, data)
    assert response.status_code == 422
    html, page = response.get_data(as_text=True), text_of(response)
    assert "2 fields need attention: see the messages below. Nothing was saved." in page
    date_id, number_id = fields["Baptism date"].id, fields["Years serving"].id
    assert f'<p class="field-error" id="field-{date_id}-error">&#39;2019-02-30&#39; is not a ' \
           "date (YYYY-MM-DD)</p>" in html
    assert f'<p class="field-error" id="field-{number_id}-error">&#39;four&#39; is not a ' \
           "number</p>" in html
    # What was typed stays, in a text input (a date or number input would empty it).
    assert f'<input type="text" id="field-{date_id}" name="field-{date_id}" ' \
           'value="2019-02-30"' in html
    assert f'value="four" maxlength="10000" aria-invalid="true" ' \
           f'aria-describedby="field-{number_id}-error">' in html
    assert '<option value="XL" selected>XL</option>' in html
    assert rows_of(ann, fields["Baptism date"]) == [("03/12/2019", "d-f1")]
    assert rows_of(ann, fields["T-shirt size"]) == [("M", "d-f7")]


def test_emptying_a_field_removes_its_row(admin_client, fields, ann):
    data = as_shown(fields, **{"Baptism date": "", "Membership class completed": "",
                               "Serving interests": []})
    assert post_form(admin_client, ann, data).status_code == 302
    for name in ("Baptism date", "Membership class completed", "Serving interests"):
        assert rows_of(ann, fields[name]) == [], name
    assert rows_of(ann, fields["Years serving"]) == [("4", "d-f8")]


def test_checkboxes_take_only_their_options(admin_client, fields, ann):
    data = as_shown(fields, **{"Serving interests": ["Hospitality", "Juggling"]})
    response = post_form(admin_client, ann, data)
    assert response.status_code == 422
    assert "'Juggling' is not one of the options of Serving interests" in text_of(response)
    assert rows_of(ann, fields["Serving interests"]) == [("Hospitality", "d-f6-3"),
                                                         ("Worship team", "d-f6-1")]


def test_a_value_pco_no_longer_offers_is_kept_while_it_stays_chosen(admin_client, fields, ann):
    size = fields["T-shirt size"]
    ann.field_values[:] = [row for row in ann.field_values if row.definition_id != size.id]
    give(ann, size, "Youth M", "d-old")
    give(ann, fields["Serving interests"], "Choir", "d-choir")
    db.session.commit()
    html = admin_client.get(form_path(ann)).get_data(as_text=True)
    assert "Youth M (no longer an option in PCO)" in html and "Choir" in html
    data = as_shown(fields, **{"T-shirt size": "Youth M",
                               "Serving interests": ["Worship team", "Choir"]})
    assert post_form(admin_client, ann, data).status_code == 302
    assert rows_of(ann, size) == [("Youth M", "d-old")]
    assert rows_of(ann, fields["Serving interests"]) == [("Choir", "d-choir"),
                                                         ("Worship team", "d-f6-1")]


def test_files_headings_and_deleted_fields_are_never_written(admin_client, fields, ann):
    data = as_shown(fields)
    for name in ("Background check form", "Previous church", "Volunteer details"):
        data.add("fields", str(fields[name].id))
        data.add(f"field-{fields[name].id}", "overwritten")
    data.add("fields", "99999999999999999999")  # not a field: ignored
    assert post_form(admin_client, ann, data).status_code == 302
    assert rows_of(ann, fields["Background check form"]) == [("background-check.pdf", "d-f9")]
    assert rows_of(ann, fields["Previous church"]) == [("First Baptist", "d-f4")]
    assert rows_of(ann, fields["Volunteer details"]) == []


def test_fields_the_form_did_not_show_are_left_alone(admin_client, fields, ann):
    """A field PCO added after the form was opened is not emptied by its save."""
    data = as_shown(fields, **{"Years serving": "5"})
    interests = str(fields["Serving interests"].id)
    data.setlist("fields", [value for value in data.getlist("fields") if value != interests])
    assert post_form(admin_client, ann, data).status_code == 302
    assert len(rows_of(ann, fields["Serving interests"])) == 2
    assert rows_of(ann, fields["Years serving"]) == [("5", "d-f8")]


def test_control_characters_are_refused(admin_client, fields, ann):
    response = post_form(admin_client, ann, as_shown(fields, **{"Home group host": "a\x00b"}))
    assert response.status_code == 422
    assert "Remove the invisible control characters." in text_of(response)
    assert rows_of(ann, fields["Home group host"]) == []


def test_the_form_needs_people_manage_and_the_csrf_token(client, viewer_client, fields, ann):
    assert viewer_client.get(form_path(ann)).status_code == 403
    data = as_shown(fields, **{"Years serving": "9"})
    data["csrf_token"] = token(viewer_client, "/")
    assert viewer_client.post(form_path(ann), data=data).status_code == 403
    assert rows_of(ann, fields["Years serving"]) == [("4", "d-f8")]


def test_without_the_csrf_token_nothing_is_saved(admin_client, fields, ann):
    response = admin_client.post(form_path(ann), data=as_shown(fields, **{"Years serving": "9"}))
    assert response.status_code == 400
    assert rows_of(ann, fields["Years serving"]) == [("4", "d-f8")]


def test_a_change_waiting_for_the_push_is_shown_in_words(admin_client, fields, ann):
    ann.pco_synced_state = person_state_from_local(ann)  # as agreed with PCO at the last sync
    db.session.commit()
    data = as_shown(fields, **{"Baptism date": "2020-01-05", "Years serving": "5",
                               "Serving interests": ["Hospitality", "Prayer team"]})
    assert post_form(admin_client, ann, data).status_code == 302
    page = text_of(page_of(admin_client, ann))
    assert "Waiting for the next push Field Here PCO holds Baptism date 2020-01-05 03/12/2019 " \
           "Serving interests Hospitality, Prayer team Hospitality, Worship team" in page
    waiting = page.split("Waiting for the next push")[1].split("History")[0]
    assert "Years serving" not in waiting  # pull only
    assert "custom_fields" not in page and "field data ids" not in page
