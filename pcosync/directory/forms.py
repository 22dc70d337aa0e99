"""Directory forms. Lengths match the columns; every rule says what to fix, per field."""
import re
from datetime import date
from urllib.parse import urlsplit

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField, DateField, EmailField, HiddenField, IntegerField, SelectField, StringField,
    TextAreaField, URLField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError,
)

from ..services.directory.families import FAMILY_ROLES
from ..services.directory.groups import GROUP_ROLES
from ..services.directory.profile import GRADES
from ..models import Gender, PersonStatus
from ..services.rules.contact_kinds import ADDRESSES, EMAILS, PHONE_NUMBERS
from ..models.keys import phone_digits
from ..models.numbers import INT32, NumberError, bounded_int

STATUSES = tuple((status.value, status.value.title()) for status in PersonStatus)
# PCO's values, as they are also shown; a value PCO sent that is not one of them stays
# selectable for that person (keep_current_choices).
GENDERS = (("", "Not set"),) + tuple((gender.value, gender.value) for gender in Gender)
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


# Control characters (NUL above all: PostgreSQL refuses it) have no place in a name or an
# address; tab and line breaks do, in the longer fields.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def plain_text(form, field):
    if isinstance(field.data, str) and CONTROL_CHARACTERS.search(field.data):
        raise ValidationError("Remove the invisible control characters.")


def email_address(form, field):
    if field.data and not EMAIL_PATTERN.fullmatch(field.data):
        raise ValidationError("Enter an email address like name@example.org.")


def not_in_future(form, field):
    if field.data and field.data > date.today():
        raise ValidationError(f"The {field.label.text.lower()} can't be in the future.")


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


class BoundedIntegerField(IntegerField):
    """WTForms' IntegerField takes any int() accepts: "٣", and a 400-digit number its
    NumberRange then fails on (OverflowError, a 500). ASCII digits within an Integer column."""

    def process_formdata(self, valuelist):
        if not valuelist or valuelist[0] in ("", None):
            return
        try:
            self.data = bounded_int(valuelist[0], *INT32)
        except NumberError:
            self.data = None
            raise ValueError("Not a valid whole number.") from None


def optional_int(value):
    """A select's value as an integer; "" (not set) as None."""
    if value in ("", None):
        return None
    return bounded_int(value, *INT32)


def choice_select(label):
    """A select of one of PCO's lists; its options are set per request (set_profile_choices)."""
    return OptionalSelectField(label, [])


class PersonForm(FlaskForm):
    name_prefix = choice_select("Prefix")
    first_name = text("First name", 120, required("a first name"))
    given_name = text("Given name", 120)
    middle_name = text("Middle name", 120)
    last_name = text("Last name", 120, required("a last name"))
    name_suffix = choice_select("Suffix")
    nickname = text("Nickname", 120)
    gender = OptionalSelectField("Gender", options(GENDERS))
    birthdate = DateField("Birthdate", validators=[Optional(), not_in_future])
    status = SelectField("Status", choices=options(STATUSES))
    inactive_reason = choice_select("Inactive reason")
    membership = text("Membership", 120)
    child = BooleanField("Child")
    marital_status = choice_select("Marital status")
    anniversary = DateField("Anniversary", validators=[Optional(), not_in_future])
    campus_id = SelectField("Campus", coerce=optional_int, validate_choice=False)
    grade = OptionalSelectField("Grade", options([("", "Not set")] + list(GRADES)),
                                coerce=optional_int)
    graduation_year = BoundedIntegerField("Graduation year",
                                          validators=[Optional(), NumberRange(min=1900, max=2200)])
    school = choice_select("School")
    medical_notes = TextAreaField("Medical notes",
                                  validators=[Optional(), Length(max=2000), plain_text],
                                  filters=[blank_to_none])
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

    def set_profile_choices(self, values, campuses, person=None):
        """PCO's lists as kept here (`values`: {kind: [value]}), the campuses; a person's
        current value stays selectable even when the list no longer has it."""
        for kind, choices in values.items():
            field = getattr(self, kind)
            field.choices = options([("", "Not set")] + [(value, value) for value in choices])
            if person is not None:
                keep_current_choice(field, getattr(person, kind))
        self.campus_id.choices = options([("", "Not set")] + [(c.id, c.name) for c in campuses])

    def validate_campus_id(self, field):
        if field.data is not None and field.data not in {c.value for c in field.choices}:
            raise ValidationError("Choose a campus from the list.")


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


CONTACT_FORMS = {EMAILS.segment: EmailForm, PHONE_NUMBERS.segment: PhoneForm,
                 ADDRESSES.segment: AddressForm}


class ArchiveForm(FlaskForm):
    """Archive a person: inactive in PCO with the next push, with an optional reason."""
    inactive_reason = choice_select("Inactive reason (optional)")

    def set_reasons(self, reasons):
        self.inactive_reason.choices = options([("", "No reason")] +
                                               [(value, value) for value in reasons])


class PhotoForm(FlaskForm):
    """A person's or a family's photo, uploaded here (services/media/photos.py checks it)."""
    photo = FileField("Photo (JPEG, PNG, GIF or WebP)",
                      validators=[FileRequired("Choose a photo to upload.")])


class FamilyForm(FlaskForm):
    name = text("Family name", 200, required("the family name"))


class FamilyEditForm(AddressFields):
    """The family's name and home address (leave every address field empty for none)."""

    name = text("Family name", 200, required("the family name"))


def chosen_person():
    """The person picked in an add-a-member search (a hidden input)."""
    return BoundedIntegerField("Person", widget=HiddenField.widget,
                               validators=[InputRequired(message="Choose a person.")])


class FamilyRoleForm(FlaskForm):
    role = SelectField("Role", choices=options(FAMILY_ROLES))


class FamilyMemberForm(FamilyRoleForm):
    person_id = chosen_person()


class GroupRoleForm(FlaskForm):
    role = SelectField("Role", choices=options(GROUP_ROLES))


class GroupMemberForm(GroupRoleForm):
    person_id = chosen_person()


class GroupForm(FlaskForm):
    name = text("Group name", 200, required("the group name"))
    description = TextAreaField("Description",
                                validators=[Optional(), Length(max=2000), plain_text],
                                filters=[blank_to_none])
    department_id = SelectField("Department", coerce=optional_int, validate_choice=False)
    new_department = text("…or a new department", 120)

    def set_departments(self, departments):
        pairs = [(0, "Choose…")] + [(d.id, d.name) for d in departments]
        self.department_id.choices = options(pairs)

    def validate_department_id(self, field):
        if not field.data and not self.new_department.data:
            raise ValidationError("Choose a department or type the name of a new one.")
