"""A person's custom field data in the sandbox store (a mixin of SandboxStore); the tabs,
definitions and options they refer to are in store_field_definitions.py.

PCO's rules as its docs and forum tell them: a checkboxes field holds one datum per ticked option,
and POSTing a value no option has creates that option (developers #136, PCO's FieldDatum update
note); every other field holds at most one datum per person (a second is refused with "An
existing field datum already exists for this record and field definition.", developers #876);
a select value must be one of its options (unknown in PCO's docs: refused here); a file field
takes an upload, never a written value; deleting a definition only stamps `deleted_at`.

A datum write moves the person's `updated_at` (assumed: PCO does not document it, and
developers #965 shows a custom-field change firing person.updated or field_datum.*) and fires
field_datum.created|updated|destroyed; it fires no person.updated.
"""
from . import field_values
from .errors import Invalid, NotFound

ONE_DATUM = "An existing field datum already exists for this record and field definition."
NO_FILE = {"file_url": None, "file_content_type": None, "file_name": None, "file_size": None}


class FieldWritesMixin:
    # -- lookups ------------------------------------------------------------------------

    def get_tab(self, tab_id):
        return self._found(self.db.tabs.get(tab_id), f"Tab {tab_id}")

    def get_field_definition(self, definition_id):
        return self._found(self.db.field_definitions.get(definition_id),
                           f"FieldDefinition {definition_id}")

    def get_field_option(self, definition_id, option_id):
        option = self.db.field_options.get(option_id)
        if option is not None and option["field_definition_id"] != definition_id:
            option = None
        return self._found(option, f"FieldOption {option_id}")

    def get_field_datum(self, datum_id, person_id=None):
        datum = self.db.field_data.get(datum_id)
        if datum is not None and person_id is not None and datum["person_id"] != person_id:
            datum = None
        return self._found(datum, f"FieldDatum {datum_id}")

    @staticmethod
    def _found(record, label):
        if record is None:
            raise NotFound(label)
        return record

    # -- a person's field data ----------------------------------------------------------

    def create_field_datum(self, person_id, definition_id, value, file=None):
        """`file` ({file_name, file_url, ...}) is an upload made in PCO's UI (admin only)."""
        with self.lock:
            self.get_person(person_id)
            definition = self._writable_definition(definition_id)
            datum = dict(NO_FILE)
            if file is not None and definition["data_type"] == "file":
                self._check_one_datum(person_id, definition, None, None)
                datum.update(file, field_definition_id=definition["id"], value=None,
                             field_option_id=None)
            else:
                self._assign_datum(datum, definition, value, person_id)
            self.db.add_field_datum(person_id, datum)
            self._datum_changed("created", datum)
            return datum

    def update_field_datum(self, datum_id, attributes):
        with self.lock:
            datum = self.get_field_datum(datum_id)
            definition_id = attributes.get("field_definition_id", datum["field_definition_id"])
            definition = self._writable_definition(definition_id)
            candidate = dict(datum)
            self._assign_datum(candidate, definition, attributes.get("value", datum["value"]),
                               datum["person_id"], ignore=datum["id"])
            if self._changed(datum, candidate):
                datum.update(candidate)
                self._datum_changed("updated", datum)
            return datum

    def delete_field_datum(self, datum_id, person_id=None):
        with self.lock:
            self.get_field_datum(datum_id, person_id)
            datum = self.db.remove_field_datum(datum_id)
            self._datum_changed("destroyed", datum)

    def _datum_changed(self, action, datum):
        person = self.db.people.get(datum["person_id"])
        if person is not None:
            person["updated_at"] = self.now()
        self._emit("field_data", action, datum)

    def _writable_definition(self, definition_id):
        if definition_id is None:
            raise Invalid("can't be blank", parameter="field_definition", resource="FieldDatum")
        definition = self.db.field_definitions.get(definition_id)
        if definition is None or definition.get("deleted_at") is not None:
            raise Invalid(f"FieldDefinition {definition_id} could not be found",
                          parameter="field_definition", resource="FieldDatum")
        return definition

    def _assign_datum(self, datum, definition, value, person_id, ignore=None):
        text = field_values.normalized(definition, value, self.organization["date_format"])
        option = None
        if definition["data_type"] in field_values.OPTION_TYPES:
            option = self._option_valued(definition["id"], text)
            if option is None and definition["data_type"] == "select":
                raise Invalid("is not included in the list", parameter="value",
                              resource="FieldDatum")
        self._check_one_datum(person_id, definition, text, ignore)
        if option is None and definition["data_type"] == "checkboxes":
            option = self.db.add_field_option(definition["id"], {
                "value": text, "sequence": len(self.db.options_of(definition["id"])) + 1})
        datum.update(field_definition_id=definition["id"],
                     value=option["value"] if option else text,
                     field_option_id=option["id"] if option else None)

    def _check_one_datum(self, person_id, definition, text, ignore):
        """One datum per field, or per ticked option of a checkboxes field."""
        ticks = definition["data_type"] == "checkboxes"
        for other in self.db.field_data_of(person_id):
            if other["id"] != ignore and other["field_definition_id"] == definition["id"] \
                    and (not ticks or other["value"] == text):
                raise Invalid(ONE_DATUM, parameter="field_definition", resource="FieldDatum")

    def _option_valued(self, definition_id, text):
        return next((o for o in self.db.options_of(definition_id) if o["value"] == text), None)

    def set_person_field(self, person_id, definition_id, value):
        """Make the person's value exactly `value` (a list of ticked options for checkboxes,
        None to clear), as staff editing the profile in PCO would: one write per datum."""
        with self.lock:
            definition = self._writable_definition(definition_id)
            held = [d for d in self.db.field_data_of(person_id)
                    if d["field_definition_id"] == definition["id"]]
            if definition["data_type"] == "checkboxes":
                return self._tick_exactly(person_id, definition, held, value)
            if value is None:
                for datum in held:
                    self.delete_field_datum(datum["id"])
                return []
            if held:
                return [self.update_field_datum(held[0]["id"], {"value": value})]
            return [self.create_field_datum(person_id, definition["id"], value)]

    def _tick_exactly(self, person_id, definition, held, value):
        wanted = [value] if isinstance(value, str) else list(value or [])
        for datum in held:
            if datum["value"] not in wanted:
                self.delete_field_datum(datum["id"])
        ticked = {d["value"] for d in held}
        for text in dict.fromkeys(wanted):
            if text not in ticked:
                self.create_field_datum(person_id, definition["id"], text)
        return [d for d in self.db.field_data_of(person_id)
                if d["field_definition_id"] == definition["id"]]

    def _drop_field_data(self, person_id):
        """A deleted person's data go with them (no field_datum events, as for contacts)."""
        for datum_id in self.db.person_field_data.ids(person_id):
            self.db.remove_field_datum(datum_id)

    def _move_field_data(self, from_id, to_id):
        """A merge keeps the kept person's values and takes the others' where they had none."""
        kept = {(d["field_definition_id"], d.get("field_option_id"))
                for d in self.db.field_data_of(to_id)}
        kept_fields = {definition_id for definition_id, _ in kept}
        for datum in self.db.field_data_of(from_id):
            definition = self.db.field_definitions.get(datum["field_definition_id"])
            ticks = definition is not None and definition["data_type"] == "checkboxes"
            key = (datum["field_definition_id"], datum.get("field_option_id"))
            held = key in kept if ticks else datum["field_definition_id"] in kept_fields
            if held:
                self.db.remove_field_datum(datum["id"])
                self._emit("field_data", "destroyed", datum)
            else:
                self.db.move_field_datum(datum["id"], to_id)
                self._emit("field_data", "updated", datum)
