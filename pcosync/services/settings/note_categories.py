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
from .custom_fields import NOW, SETTING_NAMES

KEY_PREFIX = "sync-"  # the form's field for category 12 is "sync-12"
MAX_NAMED = 10  # changes named in the message (it travels in the session cookie)


class SettingRefused(ValueError):
    """A posted setting that was not saved; the message says why, for the admin."""


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


@dataclass
class SettingsResult:
    changed: list  # (category, setting before, setting now)
    errors: list

    def summary(self):
        if not self.changed:
            return "Nothing changed: every category keeps its setting."
        count = len(self.changed)
        named = [f"{c.name} {NOW[now]}" for c, _, now in self.changed[:MAX_NAMED]]
        if count > MAX_NAMED:
            named.append(f"and {count - MAX_NAMED} more")
        message = f"{count} categor{'y' if count == 1 else 'ies'} changed: {'; '.join(named)}."
        if any(now == FieldSync.BOTH for _, _, now in self.changed):
            message += " The next Push Notes sends the notes made or edited here to PCO."
        if any(before == FieldSync.OFF for _, before, _ in self.changed):
            message += " The next Sync Notes brings PCO's notes of the categories turned on."
        return message


def save_settings(form):
    """Save every valid "sync-<id>" setting of the posted form; an invalid one (an unknown
    category or setting, one the category can't take) is reported and changes nothing."""
    categories = {row.category.id: row for row in category_rows()}
    changed, errors = [], []
    for key in form:
        if not key.startswith(KEY_PREFIX):
            continue  # the CSRF token
        try:
            change = _apply(categories, key, form.get(key, ""))
        except SettingRefused as err:
            errors.append(str(err))
            continue
        if change:
            changed.append(change)
    if changed:
        db.session.commit()
    return SettingsResult(changed, errors)


def _apply(categories, key, value):
    raw_id = key.removeprefix(KEY_PREFIX)
    known = raw_id.isascii() and raw_id.isdigit() and len(raw_id) < 12
    row = categories.get(int(raw_id)) if known else None
    if row is None:
        raise SettingRefused(f"A setting for a category that is not here (“{raw_id[:40]}”) "
                             "was ignored: reload the page to see the categories as they are.")
    category = row.category
    if value not in set(FieldSync):
        raise SettingRefused(f"“{value[:40]}” is not a setting for {category.name}: choose "
                             "Sync both ways, Pull only or Off.")
    if value == category.sync:
        return None
    if value not in row.choices:
        raise SettingRefused(f"{category.name} can't be set to "
                             f"“{SETTING_NAMES[FieldSync(value)]}”. {row.reason}")
    before = FieldSync(category.sync)
    category.sync = FieldSync(value)
    return category, before, FieldSync(value)
