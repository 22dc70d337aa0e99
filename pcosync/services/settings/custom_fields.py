"""The admin's per-field sync setting (PCO Sync -> Custom fields): every field shown by tab with
its setting, and the settings saved from one form. What each setting means to the sync is in
services/rules/custom_fields.py; here is only who may be set to what.

A field only some settings fit is held to them: a field PCO deleted and a heading are never
synced (no setting), and a file or a field of a type this platform does not edit can be pulled
but never pushed (nothing is ever edited here to send). A field made here (add_field) is the
platform's own until an admin sets it to sync both ways: the next Push People then creates it
in PCO (services/push/custom_field_definitions.py).
"""
from dataclasses import dataclass

from sqlalchemy import distinct, func, select

from ...extensions import db
from ...models import FieldDefinition, FieldOption, FieldSync, FieldTab, FieldValue
from ...models.custom_fields import CHOICE_TYPES, EDITABLE_TYPES, HEADING_TYPES
from ..directory.custom_fields import (
    CONTROL_CHARACTERS, TYPE_LABELS, FieldGroup, definition_groups,
    load_definitions, type_label,
)
from ..rules.custom_fields import forget_index
from .sync_choices import SETTING_NAMES, Choice, SettingRefused, Words, apply_settings

WORDS = Words(
    one="field", many="fields",
    not_here="A setting for a field that is not here (“{raw_id}”) was ignored: reload the page "
             "to see the fields as they are now.",
    sent_next="The next Push People sends what differs here to PCO.",
    brought_next="The next Sync People brings PCO's values of the fields turned on.")


def fixed_reason(definition):
    """Why the field has no setting, or None when it has one."""
    if definition.is_deleted:
        return "PCO deleted it: not synced, and the values here stay as they were."
    if definition.data_type in HEADING_TYPES:
        return "A heading: it holds no value."
    return None


def allowed_settings(definition):
    if fixed_reason(definition):
        return ()
    if definition.is_read_only:
        return (FieldSync.PULL, FieldSync.OFF)  # never edited here: nothing to send
    return tuple(FieldSync)


@dataclass
class SettingRow:
    definition: object
    people: int  # how many people hold a value of it here

    @property
    def type_label(self):
        return type_label(self.definition)

    @property
    def choices(self):
        return allowed_settings(self.definition)

    @property
    def reason(self):
        if fixed_reason(self.definition):
            return fixed_reason(self.definition)
        if self.definition.is_read_only:
            return "Never sent: PCO keeps this kind of field (a file is uploaded there)."
        if self.definition.pco_field_definition_id is None:
            return ("Made here: Sync both ways creates it in PCO with the next Push People, "
                    "values too; otherwise it stays here only.")
        return None


def people_per_field():
    query = (select(FieldValue.definition_id, func.count(distinct(FieldValue.person_id)))
             .group_by(FieldValue.definition_id))
    return dict(db.session.execute(query).all())


def setting_groups():
    """[FieldGroup of SettingRow]: PCO's tabs in order, fields without a tab, deleted ones."""
    people = people_per_field()
    return [FieldGroup(group.title, [SettingRow(d, people.get(d.id, 0)) for d in group.fields],
                       group.deleted)
            for group in definition_groups()]


def overview(groups):
    """One line: how many fields, and how many of PCO's have each setting."""
    rows = [row for group in groups for row in group.fields]
    settable = [row.definition.sync for row in rows if row.choices]
    counts = [f"{settable.count(setting)} {SETTING_NAMES[setting].lower()}"
              for setting in FieldSync if setting in settable]
    line = f"{len(settable)} field{'' if len(settable) == 1 else 's'} with a setting"
    return line + (": " + ", ".join(counts) if counts else "") + "."


# -- saving -----------------------------------------------------------------------------------

def save_settings(form):
    """Save every "sync-<id>" setting of `form` (the posted form) that is valid; a setting
    that is not (an unknown field, an unknown setting, one the field can't take) is reported
    and changes nothing."""
    choices = {definition.id: Choice(definition, allowed_settings(definition),
                                     SettingRow(definition, 0).reason)
               for definition in load_definitions()}
    result = apply_settings(form, choices, WORDS)
    if result.changed:
        forget_index()
        db.session.commit()
    return result


# -- a field made here ------------------------------------------------------------------------

NEW_FIELD_TYPES = {data_type: TYPE_LABELS.get(data_type, data_type)
                   for data_type in EDITABLE_TYPES}
MAX_OPTIONS = 100


def add_field(form):
    """A custom field made here from the "Add a field" form: (the definition, None) or (None,
    the reason it was refused, for the admin). It starts pull only: nothing is sent to PCO
    before an admin sets it to sync both ways."""
    try:
        tab_name, name, data_type, options = _new_field(form)
    except SettingRefused as err:
        return None, str(err)
    definition = FieldDefinition(name=name, data_type=data_type, tab=_tab(tab_name),
                                 sync=FieldSync.PULL)
    definition.options = [FieldOption(value=value, sequence=position)
                          for position, value in enumerate(options, start=1)]
    db.session.add(definition)
    forget_index()
    db.session.commit()
    return definition, None


def _text(form, key, limit):
    value = str(form.get(key) or "").strip()
    if CONTROL_CHARACTERS.search(value):
        raise SettingRefused("Remove the invisible control characters.")
    if len(value) > limit:
        raise SettingRefused(f"At most {limit} characters, please.")
    return value


def _new_field(form):
    tab_name, name = _text(form, "tab", 200), _text(form, "name", 200)
    data_type = str(form.get("data_type") or "")
    if not name:
        raise SettingRefused("Give the new field a name.")
    if data_type not in NEW_FIELD_TYPES:
        raise SettingRefused("Choose the new field's type.")
    options = list(dict.fromkeys(line.strip() for line in _text(form, "options", 20_000)
                                 .splitlines() if line.strip()))
    if data_type in CHOICE_TYPES and not options:
        raise SettingRefused(f"{NEW_FIELD_TYPES[data_type]} needs options: one per line.")
    if len(options) > MAX_OPTIONS or any(len(value) > 255 for value in options):
        raise SettingRefused(f"At most {MAX_OPTIONS} options of 255 characters each.")
    taken = {(d.tab.name.casefold() if d.tab else "", d.name.casefold())
             for d in load_definitions() if not d.is_deleted}
    if (tab_name.casefold(), name.casefold()) in taken:
        raise SettingRefused(f"There is already a field named {name!r} in that tab.")
    return tab_name, name, data_type, (options if data_type in CHOICE_TYPES else [])


def _tab(name):
    """The tab of that name (PCO's or one made here), made when new; no name: no tab."""
    if not name:
        return None
    tabs = db.session.scalars(select(FieldTab)).all()
    found = next((tab for tab in tabs if tab.name.casefold() == name.casefold()), None)
    if found is None:
        found = FieldTab(name=name, sequence=len(tabs) + 1)
    return found
