"""Directory forms. Lengths match the columns; every rule says what to fix, per field."""
import re
from datetime import date
from urllib.parse import urlsplit

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField, DateField, EmailField, HiddenField, IntegerField, SelectField, StringField,
    TextAreaField, URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ..services.directory.families import FAMILY_ROLES
from ..services.directory.groups import GROUP_ROLES
from ..models.keys import phone_digits

STATUSES = (("active", "Active"), ("inactive", "Inactive"))
GENDERS = (("", "Not set"), ("M", "Male"), ("F", "Female"))
VERIFICATION_STATUSES = (("", "Not set"), ("unverified", "Unverified"),
                         ("pending", "Pending"), ("verified", "Verified"))
EMAIL_LOCATIONS = (("Home", "Home"), ("Work", "Work"), ("Other", "Other"))
PHONE_LOCATIONS = (("Mobile", "Mobile"), ("Home", "Home"), ("Work", "Work"), ("Other", "Other"))
ADDRESS_LOCATIONS = EMAIL_LOCATIONS
# Deliberately loose: one @, something either side, a dot in the domain, no spaces. Stricter
# rules refuse real addresses; the only real test of an address is mail reaching it.
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def blank_to_none(value):
    """Trim text; an empty field is stored as NULL, not as ''."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


# Control characters (NUL above all: PostgreSQL refuses it, and the page answered 500) have no
# place in a name or an address; tab and line breaks do, in the longer fields.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def plain_text(form, field):
    if isinstance(field.data, str) and CONTROL_CHARACTERS.search(field.data):
        raise ValidationError("Remove the invisible control characters.")


def email_address(form, field):
    if field.data and not EMAIL_PATTERN.fullmatch(field.data):
        raise ValidationError("Enter an email address like name@example.org.")


def not_in_future(form, field):
    if field.data and field.data > date.today():
        raise ValidationError("The birthdate can't be in the future.")


def web_address(form, field):
    """http(s) only: the URL ends up in a link and an image, so no javascript: or data:."""
    if not field.data:
        return
    parts = urlsplit(field.data)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationError("Enter a web address starting with https:// or http://.")


def phone_number(form, field):
    if field.data and len(phone_digits(field.data)) < 3:
        raise ValidationError("Enter a phone number with at least 3 digits.")


def required(what):
    return DataRequired(message=f"Enter {what}.")


def text(label, max_length, *validators, **kwargs):
    """An optional text field trimmed to None, at most `max_length` characters."""
    return StringField(label, validators=[*validators, Optional(), Length(max=max_length),
                                          plain_text],
                       filters=[blank_to_none], **kwargs)


def options(pairs):
    """(value, label) pairs as the choices WTForms 3.3+ wants."""
    return [SelectChoice(value, label) for value, label in pairs]


def keep_current_choice(field, value):
    """A value set elsewhere (PCO, an older release) stays selectable instead of being lost."""
    if value and value not in {choice.value for choice in field.choices}:
        field.choices = [*field.choices, SelectChoice(value)]


class OptionalSelectField(SelectField):
    """A select whose "" choice means "not set", stored as None."""

    def __init__(self, label, choices, **kwargs):
        super().__init__(label, choices=choices, filters=[blank_to_none], **kwargs)

    def pre_validate(self, form):
        if self.data is not None:
            super().pre_validate(form)


class PersonForm(FlaskForm):
    first_name = text("First name", 120, required("a first name"))
    middle_name = text("Middle name", 120)
    last_name = text("Last name", 120, required("a last name"))
    nickname = text("Nickname", 120)
    gender = OptionalSelectField("Gender", options(GENDERS))
    birthdate = DateField("Birthdate", validators=[Optional(), not_in_future])
    status = SelectField("Status", choices=options(STATUSES))
    membership = text("Membership", 120)
    child = BooleanField("Child")
    allergies = TextAreaField("Allergies",
                              validators=[Optional(), Length(max=2000), plain_text],
                              filters=[blank_to_none])
    photo_url = URLField("Photo URL",
                         validators=[Optional(), Length(max=500), web_address, plain_text],
                         filters=[blank_to_none])
    verification_status = OptionalSelectField("Verification status",
                                              options(VERIFICATION_STATUSES))

    def keep_current_choices(self, person):
        keep_current_choice(self.gender, person.gender)
        keep_current_choice(self.verification_status, person.verification_status)


class NewPersonForm(PersonForm):
    email = EmailField("Email",
                       validators=[Optional(), Length(max=320), email_address, plain_text],
                       filters=[blank_to_none])
    phone = text("Phone", 60, phone_number)


class EmailForm(FlaskForm):
    address = EmailField("Email", validators=[required("an email address"), Length(max=320),
                                              email_address, plain_text],
                         filters=[blank_to_none])
    location = SelectField("Location", choices=options(EMAIL_LOCATIONS))
    is_primary = BooleanField("Primary")


class PhoneForm(FlaskForm):
    number = text("Phone number", 60, required("a phone number"), phone_number)
    location = SelectField("Location", choices=options(PHONE_LOCATIONS))
    is_primary = BooleanField("Primary")


class AddressFields(FlaskForm):
    """A postal address; a family's may be left all empty (no address), a person's may not."""

    may_be_empty = True
    street_line_1 = text("Street", 255)
    street_line_2 = text("Street (line 2)", 255)
    city = text("City", 120)
    state = text("State", 120)
    zip = text("ZIP / postal code", 40)
    country_code = text("Country code", 8)

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        others = (self.street_line_2, self.city, self.state, self.zip, self.country_code)
        if self.street_line_1.data:
            return valid
        if not self.may_be_empty:
            message = "Enter the street."
        elif any(f.data for f in others):
            message = "Enter the street, or clear every address field."
        else:
            return valid
        self.street_line_1.errors = [*self.street_line_1.errors, message]
        return False


class AddressForm(AddressFields):
    may_be_empty = False
    location = SelectField("Location", choices=options(ADDRESS_LOCATIONS))
    is_primary = BooleanField("Primary")


CONTACT_FORMS = {"emails": EmailForm, "phones": PhoneForm, "addresses": AddressForm}


class FamilyForm(FlaskForm):
    name = text("Family name", 200, required("the family name"))


class FamilyEditForm(AddressFields):
    """The family's name and home address (leave every address field empty for none)."""

    name = text("Family name", 200, required("the family name"))


class FamilyMemberForm(FlaskForm):
    person_id = IntegerField("Person", widget=HiddenField.widget,
                             validators=[InputRequired(message="Choose a person.")])
    role = SelectField("Role", choices=options(FAMILY_ROLES))


class FamilyRoleForm(FlaskForm):
    role = SelectField("Role", choices=options(FAMILY_ROLES))


class GroupMemberForm(FlaskForm):
    person_id = IntegerField("Person", widget=HiddenField.widget,
                             validators=[InputRequired(message="Choose a person.")])
    role = SelectField("Role", choices=options(GROUP_ROLES))


class GroupRoleForm(FlaskForm):
    role = SelectField("Role", choices=options(GROUP_ROLES))


class GroupForm(FlaskForm):
    name = text("Group name", 200, required("the group name"))
    description = TextAreaField("Description",
                                validators=[Optional(), Length(max=2000), plain_text],
                                filters=[blank_to_none])
    department_id = SelectField("Department", coerce=int, validate_choice=False)
    new_department = text("…or a new department", 120)

    def set_departments(self, departments):
        pairs = [(0, "Choose…")] + [(d.id, d.name) for d in departments]
        self.department_id.choices = options(pairs)

    def validate_department_id(self, field):
        if not field.data and not self.new_department.data:
            raise ValidationError("Choose a department or type the name of a new one.")
