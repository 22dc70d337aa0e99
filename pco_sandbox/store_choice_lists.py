"""Choice lists, campuses and Groups' small lists in the sandbox store (a mixin of SandboxStore).

PCO lets the API create, update and delete People's choice lists and campuses (each option has
its value; a campus its name); Groups' types, locations and tags are read only. Deleting an
option takes it off the people who held it.
"""
from .errors import Invalid, NotFound
from .choice_list_kinds import BY_COLLECTION, PERSON_LINKS


class ListWritesMixin:
    def get_list_item(self, collection, item_id):
        item = self.db.lists[collection].get(item_id)
        if item is None:
            raise NotFound(f"{BY_COLLECTION[collection].type} {item_id}")
        return item

    def create_list_item(self, collection, attributes):
        with self.lock:
            item = {"created_at": self.now(), "updated_at": self.now()}
            self._assign_item(BY_COLLECTION[collection], item, attributes)
            return self.db.lists[collection].insert(item)

    def update_list_item(self, collection, item_id, attributes):
        with self.lock:
            item = self.get_list_item(collection, item_id)
            candidate = dict(item)
            self._assign_item(BY_COLLECTION[collection], candidate, attributes)
            if self._changed(item, candidate):
                item.update(candidate, updated_at=self.now())
            return item

    def delete_list_item(self, collection, item_id):
        with self.lock:
            self.get_list_item(collection, item_id)
            self.db.lists[collection].pop(item_id)
            key = next((key for name, (listed, key) in PERSON_LINKS.items()
                        if listed == collection), None)
            for person in [p for p in self.db.people.values() if key and p.get(key) == item_id]:
                self.update_person(person["id"], {key: None})

    def check_person_links(self, attributes):
        """A person may only name options the lists have (PCO: 422 on an unknown id)."""
        for name, (collection, key) in PERSON_LINKS.items():
            item_id = attributes.get(key)
            if item_id is not None and self.db.lists[collection].get(item_id) is None:
                raise Invalid("is invalid", parameter=name, resource="Person")

    @staticmethod
    def _assign_item(spec, item, attributes):
        item.update(attributes)
        if not str(item.get(spec.value) or "").strip():
            raise Invalid("can't be blank", parameter=spec.value, resource=spec.type)
