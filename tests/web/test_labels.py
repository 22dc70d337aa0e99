"""The labels pages use for a model's fields are the directory forms' own labels (one place)."""
from pcosync.directory import forms
from pcosync.services.labels import FIELD_LABELS, field_label, shown_value

FORMS = (forms.PersonForm, forms.EmailForm, forms.PhoneForm, forms.AddressForm)


def test_every_labelled_field_reads_as_its_form_says(app):
    with app.test_request_context():
        for form_class in FORMS:
            form = form_class(meta={"csrf": False})
            for field in form:
                if field.name in FIELD_LABELS:
                    assert field_label(field.name) == field.label.text, field.name


def test_a_field_no_form_shows_reads_as_words_and_values_as_on_the_person_page():
    assert field_label("pco_membership_type") == "Pco membership type"
    assert field_label("household_id") == "Household"
    assert [shown_value(v) for v in (True, False, None, "", 3)] == ["Yes", "No", "—", "—", "3"]
