"""What a person reads for a model's field: the labels the directory's forms use (a test holds
the forms to them), for the pages that show changes (previews, run pages, the review queue).

`field_label("first_name")` is "First name"; a field no form shows reads as its words."""
FIELD_LABELS = {
    "name_prefix": "Prefix", "first_name": "First name", "given_name": "Given name",
    "middle_name": "Middle name", "last_name": "Last name", "name_suffix": "Suffix",
    "nickname": "Nickname", "gender": "Gender", "birthdate": "Birthdate", "status": "Status",
    "inactive_reason": "Inactive reason", "membership": "Membership", "child": "Child",
    "marital_status": "Marital status", "anniversary": "Anniversary", "campus_id": "Campus",
    "grade": "Grade", "graduation_year": "Graduation year", "school": "School",
    "medical_notes": "Medical notes", "allergies": "Allergies", "photo_url": "Photo URL",
    "verification_status": "Verification status",
    "address": "Email", "number": "Phone number", "location": "Location",
    "is_primary": "Primary", "primary": "Primary",
    "street_line_1": "Street", "street_line_2": "Street (line 2)", "city": "City",
    "state": "State", "zip": "ZIP / postal code", "country_code": "Country code",
    "archived_at": "Archived", "role": "Role", "description": "Description", "name": "Name",
}
# What a kind of record is called in a sentence ("Helen Cooper's mobile phone").
RECORD_NOUNS = {"Email": "email", "PhoneNumber": "phone", "Address": "address",
                "FieldValue": "custom field", "FamilyMember": "household membership",
                "GroupMembership": "group membership", "ReviewItem": "review item"}
RECORD_TITLES = {"Person": "People", "Email": "Emails", "PhoneNumber": "Phone numbers",
                 "Address": "Addresses", "FieldValue": "Custom field values",
                 "Family": "Households", "FamilyMember": "Household members",
                 "Group": "Groups", "GroupMembership": "Group members",
                 "ReviewItem": "Review items"}


def field_label(name):
    if name in FIELD_LABELS:
        return FIELD_LABELS[name]
    words = name.removesuffix("_id").replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def record_title(model_name):
    """A kind of record as a heading: "Phone numbers" for PhoneNumber."""
    return RECORD_TITLES.get(model_name, model_name)


def shown_value(value):
    """A value as the person page shows it: Yes/No, a dash for nothing."""
    if value is True:
        return "Yes"
    if value is False:
        return "No"
    if value is None or value == "":
        return "—"
    return str(value)
