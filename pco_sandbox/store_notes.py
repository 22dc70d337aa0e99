"""Pastoral notes and their categories in the sandbox store (a mixin of SandboxStore).

PCO's rules as its API definitions (People 2025-11-10) and the forum tell them: a note is text
with a category on a person's profile (`note`, `display_date`, `note_category_id` assignable);
a note needs its text and a category that exists (422 "can't be blank" otherwise); deleting a
category deletes its notes. PCO sends `note.created` and `note.destroyed` and no `note.updated`:
an edit in PCO moves the note's `updated_at` and nothing else tells anyone. A note write does
not move its person's `updated_at`.
"""
from .errors import Invalid


class NoteWritesMixin:
    def get_note_category(self, category_id):
        return self._found(self.db.note_categories.get(category_id),
                           f"NoteCategory {category_id}")

    def get_note(self, note_id, person_id=None):
        note = self.db.notes.get(note_id)
        if note is not None and person_id is not None and note["person_id"] != person_id:
            note = None
        return self._found(note, f"Note {note_id}")

    def create_note_category(self, attributes):
        with self.lock:
            name = (attributes.get("name") or "").strip()
            if not name:
                raise Invalid("can't be blank", parameter="name", resource="NoteCategory")
            now = self.now()
            return self.db.note_categories.insert({
                "name": name, "locked": bool(attributes.get("locked")),
                "created_at": now, "updated_at": now})

    def delete_note_category(self, category_id):
        with self.lock:
            self.get_note_category(category_id)
            for note in [n for n in self.db.notes.values() if n["category_id"] == category_id]:
                self.delete_note(note["id"])
            self.db.note_categories.pop(category_id)

    def create_note(self, person_id, attributes, created_by_id=None):
        with self.lock:
            self.get_person(person_id)
            now = self.now()
            note = {"created_at": now, "updated_at": now, "display_date": now,
                    "created_by_id": created_by_id}
            self._assign_note(note, {"display_date": now, **attributes})
            self.db.add_note(person_id, note)
            self._emit("notes", "created", note)
            return note

    def update_note(self, note_id, attributes):
        """No webhook: PCO has no note.updated."""
        with self.lock:
            note = self.get_note(note_id)
            candidate = dict(note)
            self._assign_note(candidate, attributes)
            if self._changed(note, candidate):
                candidate["updated_at"] = self.now()
                note.update(candidate)
            return note

    def delete_note(self, note_id, person_id=None):
        with self.lock:
            self.get_note(note_id, person_id)
            note = self.db.remove_note(note_id)
            self._emit("notes", "destroyed", note)

    def _drop_notes(self, person_id):
        for note in self.db.notes_of(person_id):
            self.db.remove_note(note["id"])

    def _assign_note(self, note, attributes):
        if "note" in attributes:
            note["note"] = attributes["note"]
        if not (note.get("note") or "").strip():
            raise Invalid("can't be blank", parameter="note", resource="Note")
        category_id = attributes.get("note_category_id", note.get("category_id"))
        if category_id is None or self.db.note_categories.get(category_id) is None:
            raise Invalid("can't be blank", parameter="note_category", resource="Note")
        note["category_id"] = category_id
        if attributes.get("display_date") is not None:
            note["display_date"] = attributes["display_date"]
