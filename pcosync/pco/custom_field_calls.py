"""The client's calls for custom fields: tabs, definitions (deleted ones too), options and a
person's field data. A mixin of PCOClient, which gives it iter_pages, get_resource, _write and
delete."""
from collections.abc import Iterator

from .custom_field_schemas import field_datum_document
from .jsonapi import document, path_segment as _segment


class CustomFieldCalls:
    def iter_tabs(self) -> Iterator:
        return self.iter_pages("/people/v2/tabs")

    def iter_field_definitions(self) -> Iterator:
        """Deleted definitions too (PCO lists them only with this filter: a deletion must reach
        us), with their options, so the lists cost one request whatever they hold."""
        return self.iter_pages("/people/v2/field_definitions", {"filter": "include_deleted"},
                               include=("field_options",))

    def iter_field_options(self, definition_id) -> Iterator:
        return self.iter_pages(f"/people/v2/field_definitions/{_segment(definition_id)}"
                               "/field_options")

    def get_field_definition(self, definition_id) -> dict:
        return self.get_resource(f"/people/v2/field_definitions/{_segment(definition_id)}")

    def create_tab(self, name: str) -> dict:
        return self._write("POST", "/people/v2/tabs", document("Tab", {"name": name}))

    def create_field_definition(self, tab_id, name: str, data_type: str) -> dict:
        path = f"/people/v2/tabs/{_segment(tab_id)}/field_definitions"
        body = document("FieldDefinition", {"name": name, "data_type": data_type})
        return self._write("POST", path, body)

    def create_field_option(self, definition_id, value: str) -> dict:
        path = f"/people/v2/field_definitions/{_segment(definition_id)}/field_options"
        return self._write("POST", path, document("FieldOption", {"value": value}))

    def create_field_datum(self, person_id, definition_id, value: str) -> dict:
        path = f"/people/v2/people/{_segment(person_id)}/field_data"
        return self._write("POST", path, field_datum_document(value, definition_id))

    def update_field_datum(self, datum_id, value: str) -> dict:
        path = f"/people/v2/field_data/{_segment(datum_id)}"
        return self._write("PATCH", path, field_datum_document(value, datum_id=datum_id))

    def delete_field_datum(self, datum_id) -> None:
        self.delete(f"/people/v2/field_data/{_segment(datum_id)}")
