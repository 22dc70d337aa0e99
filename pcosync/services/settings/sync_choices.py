"""One page's per-item sync setting (sync both ways, pull only or off), the shape the Custom
fields and Note categories pages share: every item listed with the settings it may take and
why not the others, and one form saving them all. An item PCO does not know can't be "Sync
both ways" unless its page says how it gets there (a custom field made here is created in PCO);
each page says which settings an item may take, this module checks the form against that.
"""
from dataclasses import dataclass

from ...models import FieldSync

SETTING_NAMES = {FieldSync.BOTH: "Sync both ways", FieldSync.PULL: "Pull only",
                 FieldSync.OFF: "Off"}
NOW = {FieldSync.BOTH: "now syncs both ways", FieldSync.PULL: "is now pull only",
       FieldSync.OFF: "is now off (not synced)"}
KEY_PREFIX = "sync-"  # the form's field for item 12 is "sync-12"
MAX_NAMED = 10  # changes named in the message (it travels in the session cookie)


class SettingRefused(ValueError):
    """A posted setting that was not saved; the message says why, for the admin."""


@dataclass(frozen=True)
class Words:
    """How a page names its items in its messages."""
    one: str  # "field"
    many: str  # "fields"
    not_here: str  # an unknown item's message, with {raw_id}
    sent_next: str  # said when an item now syncs both ways
    brought_next: str  # said when an item was off


@dataclass(frozen=True)
class Choice:
    """One item of the page as the form may set it."""
    item: object  # a model with `name` and `sync`
    choices: tuple  # the FieldSync settings it may take
    reason: str | None  # why not the others (None: it may take any)


@dataclass
class SettingsResult:
    changed: list  # (item, setting before, setting now)
    errors: list
    words: Words

    def summary(self):
        words = self.words
        if not self.changed:
            return f"Nothing changed: every {words.one} keeps its setting."
        count = len(self.changed)
        named = [f"{item.name} {NOW[now]}" for item, _, now in self.changed[:MAX_NAMED]]
        if count > MAX_NAMED:
            named.append(f"and {count - MAX_NAMED} more")
        message = (f"{count} {words.one if count == 1 else words.many} changed: "
                   f"{'; '.join(named)}.")
        if any(now == FieldSync.BOTH for _, _, now in self.changed):
            message += " " + words.sent_next
        if any(before == FieldSync.OFF for _, before, _ in self.changed):
            message += " " + words.brought_next
        return message


def apply_settings(form, choices, words):
    """Set every valid "sync-<id>" setting of `form` (the posted form) on its item, from
    `choices` ({id: Choice}); an invalid one (an unknown item or setting, one the item can't
    take) is reported and changes nothing. The caller commits when something changed."""
    changed, errors = [], []
    for key in form:
        if not key.startswith(KEY_PREFIX):
            continue  # the CSRF token
        try:
            change = _apply(choices, key, form.get(key, ""), words)
        except SettingRefused as err:
            errors.append(str(err))
            continue
        if change:
            changed.append(change)
    return SettingsResult(changed, errors, words)


def _apply(choices, key, value, words):
    raw_id = key.removeprefix(KEY_PREFIX)
    known = raw_id.isascii() and raw_id.isdigit() and len(raw_id) < 12
    choice = choices.get(int(raw_id)) if known else None
    if choice is None:
        raise SettingRefused(words.not_here.format(raw_id=raw_id[:40]))
    item = choice.item
    if value not in set(FieldSync):
        raise SettingRefused(f"“{value[:40]}” is not a setting for {item.name}: choose "
                             "Sync both ways, Pull only or Off.")
    if value == item.sync:
        return None
    if value not in choice.choices:
        raise SettingRefused(f"{item.name} can't be set to "
                             f"“{SETTING_NAMES[FieldSync(value)]}”. {choice.reason}")
    before = FieldSync(item.sync)
    item.sync = FieldSync(value)
    return item, before, FieldSync(value)
