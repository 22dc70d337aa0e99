"""Custom field tabs, definitions and options in the sandbox store (a mixin of SandboxStore).

PCO's API can create them (People 2025-11-10: Tab, FieldDefinition and FieldOption are
postable, patchable and deletable; a definition is created under its tab, `POST
/people/v2/tabs/{tab_id}/field_definitions`, assignable data_type, name, sequence, slug,
config, deleted_at). Deleting a definition "internally sets its `deleted_at` attribute to the
current time" (PCO's docs); its data stay. Definition changes fire
field_definition.created|updated|destroyed; tabs and options have no events.
"""
from . import field_values
from .errors import Invalid

DEFINITION_KEYS = frozenset({"data_type", "name", "sequence", "slug", "config", "deleted_at"})


class FieldDefinitionWritesMixin:
    def tab_named(self, name):
        wanted = (name or "").strip().lower()
        return next((t for t in self.db.tabs.values() if t["name"].lower() == wanted), None)

    def create_tab(self, attributes):
        with self.lock:
            name = str(attributes.get("name") or "").strip()
            if not name:
                raise Invalid("can't be blank", parameter="name", resource="Tab")
            sequence = attributes.get("sequence") or len(self.db.tabs) + 1
            return self.db.tabs.insert({"name": name, "sequence": sequence,
                                        "slug": field_values.slug_for(name)})

    def create_field_definition(self, tab_id, attributes):
        with self.lock:
            self.get_tab(tab_id)
            siblings = [d for d in self.db.field_definitions.values() if d["tab_id"] == tab_id]
            definition = {"config": None, "deleted_at": None, "tab_id": tab_id,
                          "sequence": len(siblings) + 1}
            self._assign_definition(definition, attributes)
            self.db.field_definitions.insert(definition)
            self._emit("field_definitions", "created", definition)
            return definition

    def update_field_definition(self, definition_id, attributes):
        with self.lock:
            definition = self.get_field_definition(definition_id)
            candidate = dict(definition)
            self._assign_definition(candidate, attributes)
            if self._changed(definition, candidate):
                definition.update(candidate)
                self._emit("field_definitions", "updated", definition)
            return definition

    def delete_field_definition(self, definition_id):
        with self.lock:
            definition = self.get_field_definition(definition_id)
            if definition.get("deleted_at") is None:
                definition["deleted_at"] = self.now()
                self._emit("field_definitions", "destroyed", definition)
            return definition

    def create_field_option(self, definition_id, attributes):
        with self.lock:
            self.get_field_definition(definition_id)
            value = str(attributes.get("value") or "").strip()
            if not value:
                raise Invalid("can't be blank", parameter="value", resource="FieldOption")
            sequence = attributes.get("sequence")
            if sequence is None:
                sequence = len(self.db.options_of(definition_id)) + 1
            return self.db.add_field_option(definition_id, {"value": value,
                                                            "sequence": sequence})

    @staticmethod
    def _assign_definition(definition, attributes):
        definition.update({k: v for k, v in attributes.items() if k in DEFINITION_KEYS})
        if not str(definition.get("name") or "").strip():
            raise Invalid("can't be blank", parameter="name", resource="FieldDefinition")
        if definition.get("data_type") not in field_values.DATA_TYPES:
            raise Invalid("is not included in the list", parameter="data_type",
                          resource="FieldDefinition")
        definition["slug"] = definition.get("slug") or field_values.slug_for(definition["name"])
