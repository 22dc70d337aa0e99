"""The admin's per-category sync setting for pastoral notes (PCO Sync -> Note categories): sync
both ways, pull only (the default for every category) or off, as for custom fields. What each
setting means to the sync is in services/rules/notes.py and services/push/notes.py; here only
who may be set to what. The page names categories and counts notes: it never shows a note's
text, so it needs `pco.manage` and not `notes.view`.
"""
from dataclasses import dataclass

from sqlalchemy import func, select

from ...extensions import db
from ...models import FieldSync, Note, NoteCategory
from .sync_choices import Choice, Words, apply_settings

WORDS = Words(
    one="category", many="categories",
    not_here="A setting for a category that is not here (“{raw_id}”) was ignored: reload the "
             "page to see the categories as they are.",
    sent_next="The next Push Notes sends the notes made or edited here to PCO.",
    brought_next="The next Sync Notes brings PCO's notes of the categories turned on.")


@dataclass
class CategoryRow:
    category: NoteCategory
    notes: int  # how many notes here are in it

    @property
    def choices(self):
        if self.category.pco_note_category_id is None:
            return (FieldSync.PULL, FieldSync.OFF)  # PCO does not know it: nowhere to send
        return tuple(FieldSync)

    @property
    def reason(self):
        if self.category.pco_note_category_id is None:
            return "Made here: PCO has no such category, so its notes stay here."
        return None


def category_rows():
    counts = dict(db.session.execute(
        select(Note.category_id, func.count(Note.id)).where(Note.deleted_at.is_(None))
        .group_by(Note.category_id)).all())
    categories = db.session.scalars(select(NoteCategory).order_by(NoteCategory.name,
                                                                  NoteCategory.id))
    return [CategoryRow(category, counts.get(category.id, 0)) for category in categories]


def save_settings(form):
    """Save every valid "sync-<id>" setting of the posted form; an invalid one (an unknown
    category or setting, one the category can't take) is reported and changes nothing."""
    choices = {row.category.id: Choice(row.category, row.choices, row.reason)
               for row in category_rows()}
    result = apply_settings(form, choices, WORDS)
    if result.changed:
        db.session.commit()
    return result
