"""A person's custom fields in the directory: shown by tab, edited, saved as FieldValue rows.

Every field shows and edits here, whatever its sync setting: the fields are the platform's own,
and the setting only says what the sync does with them. A checkboxes field holds one row per
ticked option; every other field at most one row. Saving keeps the rows it can (a ticked option
that stays ticked, a value edited in place), so each keeps its PCO datum id and the next push
updates that datum instead of adding another. Files and headings are never written here (PCO
keeps uploads; a heading holds nothing), nor are fields PCO deleted (kept as they were).
"""
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import FieldDefinition, FieldSync, FieldType, FieldValue
from ...models.custom_fields import BOOLEAN_TRUE, CHOICE_TYPES, HEADING_TYPES
from ..rules.custom_fields import CUSTOM_FIELDS, FIELD_DATA_IDS, values_of

STATE_KEYS = (CUSTOM_FIELDS, FIELD_DATA_IDS)  # a person's synced state's custom-field part

NO_TAB = "Other fields"
DELETED_GROUP = "Deleted in PCO"
# The forms PCO writes a date in (its default organization format is MM/DD/YYYY); edits here
# are stored as ISO dates.
DATE_PATTERNS = ("%Y-%m-%d", "%m/%d/%Y")
TYPE_LABELS = {
    FieldType.STRING: "Text", FieldType.TEXT: "Paragraph", FieldType.DATE: "Date",
    FieldType.NUMBER: "Number", FieldType.BOOLEAN: "Yes / No", FieldType.SELECT: "Drop-down",
    FieldType.CHECKBOXES: "Checkboxes", FieldType.FILE: "File", FieldType.HEADER: "Heading",
    FieldType.HEADING: "Heading",
}
NUMBER = re.compile(r"-?(\d+(\.\d+)?|\.\d+)([eE][-+]?\d+)?")  # what a number input keeps
MAX_NAMED = 8  # changed fields named in one message; the rest are counted
# Control characters (NUL above all: PostgreSQL refuses it) have no place in a value; tab and
# line breaks do, in a paragraph.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def type_label(definition):
    """The field's type in words ("Checkboxes, 6 options"); a type unknown here as PCO names it."""
    label = TYPE_LABELS.get(definition.data_type, definition.data_type)
    if definition.data_type in CHOICE_TYPES:
        count = len(definition.options)
        label += f", {count} option{'' if count == 1 else 's'}"
    return label


def read_date(text):
    """A stored date (ISO, or as PCO writes it), or None when it is not one."""
    for pattern in DATE_PATTERNS:
        try:
            return datetime.strptime((text or "").strip()[:10], pattern).date()
        except ValueError:
            continue
    return None


# -- definitions grouped as the pages show them -----------------------------------------------

@dataclass
class Section:
    heading: str | None
    fields: list = field(default_factory=list)


@dataclass
class FieldGroup:
    """A tab of fields (or the fields without a tab, or those PCO deleted)."""
    title: str
    fields: list
    deleted: bool = False

    @property
    def sections(self):
        """The fields split at each heading field: (heading or None, the fields under it)."""
        found = [Section(None)]
        for item in self.fields:
            if item.definition.data_type in HEADING_TYPES:
                found.append(Section(item.definition.name))
            else:
                found[-1].fields.append(item)
        return [section for section in found if section.heading or section.fields]


def _tab_order(tab):
    return (tab.sequence is None, tab.sequence or 0, tab.name.lower(), tab.id)


def _field_order(definition):
    return (definition.sequence is None, definition.sequence or 0, definition.name.lower(),
            definition.id)


def load_definitions():
    query = select(FieldDefinition).options(selectinload(FieldDefinition.options),
                                            selectinload(FieldDefinition.tab))
    return sorted(db.session.scalars(query), key=_field_order)


def definition_groups(definitions=None):
    """[FieldGroup of definitions]: PCO's tabs in PCO's order (only tabs with fields), then the
    fields without a tab, then those PCO deleted."""
    definitions = load_definitions() if definitions is None else definitions
    by_tab = {}
    for definition in definitions:
        if not definition.is_deleted:
            by_tab.setdefault(definition.tab, []).append(definition)
    tabs = sorted((tab for tab in by_tab if tab is not None), key=_tab_order)
    groups = [FieldGroup(tab.name, by_tab[tab]) for tab in tabs]
    if None in by_tab:
        groups.append(FieldGroup(NO_TAB, by_tab[None]))
    deleted = [definition for definition in definitions if definition.is_deleted]
    if deleted:
        groups.append(FieldGroup(DELETED_GROUP, deleted, deleted=True))
    return groups


# -- one person's fields ----------------------------------------------------------------------

@dataclass
class PersonField:
    """One field of one person: its rows, what its input shows and, after a refused save, what
    was typed and why it was refused."""
    definition: FieldDefinition
    rows: list
    posted: list | None = None
    error: str | None = None

    @property
    def editable(self):
        return not (self.definition.is_read_only or self.definition.is_deleted)

    @property
    def values(self):
        """The texts held; a checkboxes field's in the order of its options."""
        held = [row.value for row in self.rows if row.value not in (None, "")]
        if self.definition.is_multiple:
            order = {option.value: rank for rank, option in enumerate(self.definition.options)}
            held.sort(key=lambda value: (order.get(value, len(order)), value))
        return held

    @property
    def value(self):
        return self.values[0] if self.values else None

    @property
    def is_empty(self):
        return not self.values and not any(row.file_url for row in self.rows)

    @property
    def date(self):
        """The value as a date, or None (not a date: shown as it is)."""
        return read_date(self.value)

    @property
    def is_yes(self):
        return (self.value or "").strip().lower() in BOOLEAN_TRUE

    @property
    def files(self):
        """Rows holding a file: (name, web address or None)."""
        return [(row.file_name or row.value or "file", row.file_url) for row in self.rows
                if row.file_name or row.value or row.file_url]

    @property
    def held_options(self):
        """The ticked values no longer among the options (PCO removed one): still shown."""
        options = {option.value for option in self.definition.options}
        return [value for value in self.values if value not in options]

    @property
    def input_value(self):
        """What the form shows: what was typed after a refused save, else the value held in
        the form its input takes (a date as YYYY-MM-DD, a boolean as true/false)."""
        if self.posted is not None:
            return self.posted if self.definition.is_multiple else (self.posted or [""])[-1]
        return self.held_input()

    @property
    def input_type(self):
        """A date or number input, or a text input when the value shown is not one: a browser
        empties a date or number input holding anything else, and saving would erase it."""
        data_type, shown = self.definition.data_type, self.input_value
        if data_type == FieldType.DATE and (not shown or _is_iso_date(shown)):
            return "date"
        if data_type == FieldType.NUMBER and (not shown or NUMBER.fullmatch(shown)):
            return "number"
        return "text"

    def held_input(self):
        if self.definition.is_multiple:
            return self.values
        if self.value is None:
            return ""
        if self.definition.data_type == FieldType.DATE and self.date:
            return self.date.isoformat()
        if self.definition.data_type == FieldType.BOOLEAN:
            return "true" if self.is_yes else "false"
        return self.value


def _is_iso_date(text):
    try:
        return date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False


def _rows_by_definition(person):
    found = {}
    for row in person.field_values:
        found.setdefault(row.definition_id, []).append(row)
    for rows in found.values():
        rows.sort(key=lambda row: row.pco_field_datum_id is None)  # linked rows are kept first
    return found


def person_field_groups(person, definitions=None):
    """The person's fields by tab; a field PCO deleted only when the person holds a value."""
    rows = _rows_by_definition(person)
    groups = []
    for group in definition_groups(definitions):
        fields = [PersonField(d, rows.get(d.id, [])) for d in group.fields]
        if group.deleted:
            fields = [item for item in fields if item.rows]
        if fields:
            groups.append(FieldGroup(group.title, fields, group.deleted))
    return groups


def waiting_for_push(local, base):
    """[(field name, here, in PCO)]: the synced custom fields whose values differ from those
    last agreed with PCO (the next push sends them), in words."""
    here, there = values_of(local), values_of(base)
    changed = [key for key in dict.fromkeys([*here, *there]) if here.get(key) != there.get(key)]
    if not changed:
        return []
    names = {d.pco_field_definition_id: d.name for d in load_definitions()}
    return [(names.get(key, key), _in_words(here.get(key)), _in_words(there.get(key)))
            for key in changed]


def _in_words(value):
    return ", ".join(value) if isinstance(value, list) else value


# -- saving an edit ---------------------------------------------------------------------------

@dataclass
class EditResult:
    groups: list
    changed: list | None  # the PersonFields changed; None when refused (nothing saved)

    @property
    def saved(self):
        return self.changed is not None

    @property
    def errors(self):
        return [item for group in self.groups for item in group.fields if item.error]


def update_person_fields(person, form):
    """Save the fields the form showed (`form`: the posted form; "fields" lists the ids shown,
    "field-<id>" holds each one's input). Every value is checked first: one refused value saves
    nothing, and the form comes back with what was typed and the reason."""
    groups = person_field_groups(person)
    shown = _shown_ids(form)
    editing = [item for group in groups for item in group.fields
               if item.editable and item.definition.id in shown]
    cleaned = {}
    for item in editing:
        item.posted = form.getlist(f"field-{item.definition.id}")
        try:
            cleaned[item.definition.id] = _clean(item)
        except ValueError as err:
            item.error = str(err)
    if any(item.error for item in editing):
        return EditResult(groups, None)
    changed = [item for item in editing if _apply(person, item, cleaned[item.definition.id])]
    db.session.commit()
    return EditResult(groups, changed)


def _shown_ids(form):
    shown = set()
    for raw in form.getlist("fields"):
        if raw.isascii() and raw.isdigit() and len(raw) < 12:
            shown.add(int(raw))
    return shown


def _clean(item):
    """The value(s) to keep. What the form showed and came back as it was is kept as held, so
    a date PCO wrote as 03/12/2019, or an option PCO removed, is not rewritten or refused."""
    definition = item.definition
    if any(CONTROL_CHARACTERS.search(value) for value in item.posted):
        raise ValueError("Remove the invisible control characters.")
    if definition.is_multiple:
        held = set(item.values)
        wanted = dict.fromkeys(value.strip() for value in item.posted if value.strip())
        return [value if value in held else definition.clean(value) for value in wanted]
    typed = (item.posted or [""])[-1]
    if _same_text(typed, item.held_input()):
        return item.value
    return definition.clean(typed)


def _same_text(typed, held):
    """Browsers send a paragraph's line breaks as CR LF, whatever the value held."""
    return typed.replace("\r\n", "\n").strip() == held.replace("\r\n", "\n").strip()


def _apply(person, item, value):
    """Make the person's rows of one field hold `value`; True when anything changed."""
    if item.definition.is_multiple:
        return _apply_ticks(person, item, value)
    rows = item.rows
    if value is None:
        for row in rows:
            person.field_values.remove(row)
        return bool(rows)
    if not rows:
        person.field_values.append(FieldValue(definition_id=item.definition.id, value=value))
        return True
    kept, extra = rows[0], rows[1:]
    changed = kept.value != value or bool(extra)
    if kept.value != value:
        kept.value = value  # in place: the row keeps its PCO datum id
    for row in extra:
        person.field_values.remove(row)
    return changed


def _apply_ticks(person, item, wanted):
    kept, changed = set(), False
    for row in item.rows:
        if row.value in wanted and row.value not in kept:
            kept.add(row.value)
        else:
            person.field_values.remove(row)
            changed = True
    for value in wanted:
        if value not in kept:
            person.field_values.append(FieldValue(definition_id=item.definition.id, value=value))
            changed = True
    return changed


def describe_saved(person, result):
    """What the save did, in words for the admin."""
    if not result.changed:
        return "Nothing changed."
    message = f"Saved: {_list_names([item.definition.name for item in result.changed])} changed."
    if person.pco_id is None:
        return message
    sent = [item.definition.name for item in result.changed if _pushed(item.definition)]
    if sent:
        message += f" The next Push People sends {_list_names(sent)} to PCO."
    if len(sent) < len(result.changed):
        message += " Fields not set to sync both ways stay here only."
    return message


def _pushed(definition):
    return (definition.sync == FieldSync.BOTH and definition.pco_field_definition_id is not None
            and not definition.is_read_only)


def _list_names(names):
    shown = names[:MAX_NAMED]
    more = len(names) - len(shown)
    if more:
        return ", ".join(shown) + f" and {more} more"
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + " and " + shown[-1]
