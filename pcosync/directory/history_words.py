"""The history in words: "Nickname Nell → Nellie, from PCO by webhook, 3 Dec 10:14". Field
labels are the directory forms' own, so a page never shows a column name; used by the person,
family, group and run pages and by `flask pco history`."""
import json

from .forms import (
    AddressForm, EmailForm, FamilyEditForm, FamilyRoleForm, GroupForm, GroupRoleForm,
    PersonForm, PhoneForm,
)

# What the forms do not edit (PCO sets them, or the sync keeps them).
EXTRA_LABELS = {"archived_at": "Archived", "pco_id": "PCO link", "inactivated_at": "Inactivated",
                "pco_avatar_url": "PCO photo", "primary_member_id": "Primary member",
                "value": "Value"}
RECORD_WORDS = {"Person": "Person", "Email": "Email", "PhoneNumber": "Phone number",
                "Address": "Address", "Family": "Family", "FamilyMember": "Family member",
                "Group": "Group", "GroupMembership": "Group membership",
                "FieldValue": "Custom field"}
MAIN_FIELD = {"Email": "address", "PhoneNumber": "number", "Address": "street_line_1",
              "FamilyMember": "role", "GroupMembership": "role", "FieldValue": "value",
              "Person": "last_name", "Family": "name", "Group": "name"}
SOURCE_WORDS = {"pull": "from PCO by a sync", "quick sync": "from PCO by Quick Sync",
                "webhook": "from PCO by webhook", "push": "to PCO by a push",
                "review": "by a review action", "directory": "in the directory",
                "revert": "by a revert", "other": "by another part of the platform"}


def _labels(form):
    found = {}
    for name in dir(form):
        unbound = getattr(form, name, None)
        if hasattr(unbound, "field_class"):
            found[name] = unbound.args[0] if unbound.args else unbound.kwargs.get("label")
    return found


FORMS = {"Person": PersonForm, "Email": EmailForm, "PhoneNumber": PhoneForm,
         "Address": AddressForm, "Family": FamilyEditForm, "FamilyMember": FamilyRoleForm,
         "Group": GroupForm, "GroupMembership": GroupRoleForm}
LABELS = {record_type: _labels(form) for record_type, form in FORMS.items()}


def field_label(entry):
    """"Nickname"; "Phone number location"; a custom field by its name."""
    if entry.record_type == "FieldValue":
        return entry.definition or "Custom field"
    label = LABELS.get(entry.record_type, {}).get(entry.field) or EXTRA_LABELS.get(
        entry.field) or entry.field.replace("_", " ").capitalize()
    if entry.record_type in ("Person", "Family", "Group") or entry.field == MAIN_FIELD.get(
            entry.record_type):
        return label
    return f"{RECORD_WORDS.get(entry.record_type, entry.record_type)} {label.lower()}"


def shown(value):
    if value is None or value == "":
        return "(empty)"
    return {"true": "Yes", "false": "No"}.get(value, value)


def what(entry):
    """What changed: "Nickname Nell → Nellie", "Email added: ann@example.org"."""
    record = RECORD_WORDS.get(entry.record_type, entry.record_type)
    if entry.record_type == "FieldValue" and entry.definition:
        record = entry.definition
    if entry.field == "created":
        return f"{record} added" + (f": {entry.after}" if entry.after else "")
    if entry.field == "deleted":
        removed = _removed_value(entry)
        return f"{record} removed" + (f": {removed}" if removed else "")
    return f"{field_label(entry)} {shown(entry.before)} → {shown(entry.after)}"


def _removed_value(entry):
    try:
        return json.loads(entry.before or "{}").get(MAIN_FIELD.get(entry.record_type))
    except ValueError:
        return None


def how(entry):
    """", from PCO by webhook, 3 Dec 10:14" and who, when a person did it."""
    words = SOURCE_WORDS.get(entry.source, entry.source)
    if entry.user_name:
        words += f" by {entry.user_name}"
    return f"{words}, {entry.changed_at:%-d %b %Y %H:%M} UTC"


def sentence(entry):
    return f"{what(entry)}, {how(entry)}"
