"""What a preview would change here: per kind of record, how many rows it would create, update,
archive or delete, and the first few of each kind with their fields (before -> after).

A ChangeLog watches one session's flushes (`before_flush`, from the attributes' history), so it
sees every write the run's own code makes, whatever module makes it. A row written several times
(created, then updated by a later page) counts once, as its first action.
"""
from datetime import date, datetime

from sqlalchemy import event, inspect

from ..labels import RECORD_NOUNS

FIRST_CHANGES = 10  # rows shown per kind of record; the others are only counted
# The sync's own bookkeeping and the keys the models derive: a row whose only changes are these
# is not reported (a push settles them on every person it sends).
BOOKKEEPING = frozenset({
    "id", "created_at", "updated_at", "last_seen_at", "pco_synced_state", "pco_synced_hash",
    "pco_synced_at", "pco_updated_at", "pco_version_stamp", "search_name", "normalized",
    "digits", "moved_at", "dedupe_key",
})
LABEL_ATTRIBUTES = ("full_name", "name", "address", "number", "street_line_1",
                    "resource")
ACTIONS = ("created", "updated", "archived", "deleted")
# The report lists these first, in this order; other kinds follow by name.
KIND_ORDER = ("Person", "Email", "PhoneNumber", "Address", "FieldValue", "Family", "FamilyMember",
              "Group", "GroupMembership", "ReviewItem")
LONGEST_VALUE = 120


class ChangeLog:
    def __init__(self, first=FIRST_CHANGES):
        self.first = first
        self.kinds = {}  # model name -> {"created": n, ..., "first": [entry, ...]}
        self._known = {}  # identity key -> its entry (None when only counted)
        self._unflushed = {}  # state of a new row -> its entry, until the flush gives it a key

    def watch(self, session):
        event.listen(session, "before_flush", self._before_flush)
        event.listen(session, "after_flush_postexec", self._after_flush)
        # Rows deleted by a flush, orphans of a collection too (not in session.deleted before).
        event.listen(session, "persistent_to_deleted", self._deleted)

    def summary(self):
        """{model name: {"created": n, "updated": n, "archived": n, "deleted": n,
        "first": [{"action", "label", "fields": [[name, before, after], ...]}]}}"""
        order = sorted(self.kinds, key=lambda name: (
            KIND_ORDER.index(name) if name in KIND_ORDER else len(KIND_ORDER), name))
        return {name: {**{action: self.kinds[name][action] for action in ACTIONS},
                       "first": [_finished(entry) for entry in self.kinds[name]["first"]]}
                for name in order}

    def total(self):
        return sum(kind[action] for kind in self.kinds.values() for action in ACTIONS)

    def _before_flush(self, session, _context, _instances):
        for obj in list(session.new):
            self._unflushed[inspect(obj)] = self._note(obj, "created", _fields(obj, True))
        for obj in list(session.dirty):
            self._changed(obj)

    def _deleted(self, _session, obj):
        self._note(obj, "deleted", {})

    def _after_flush(self, _session, _context):
        for state, entry in self._unflushed.items():
            if state.key is not None:
                self._known[state.key] = entry
        self._unflushed.clear()

    def _changed(self, obj):
        fields = _fields(obj, False)
        if not fields:
            return
        key = inspect(obj).key
        if key in self._known:  # written before in this preview: the same row, once
            _merge(self._known[key], fields)
            return
        archived = (fields.get("archived_at") or (None, None))[1] is not None
        self._known[key] = self._note(obj, "archived" if archived else "updated", fields)

    def _note(self, obj, action, fields):
        kind = self.kinds.setdefault(type(obj).__name__,
                                     {**dict.fromkeys(ACTIONS, 0), "first": []})
        kind[action] += 1
        if len(kind["first"]) >= self.first:
            return None
        entry = {"action": action, "label": label(obj), "fields": fields}
        kind["first"].append(entry)
        return entry


def _fields(obj, created):
    """{name: (before, after)} of the columns this write changes (a new row: those it sets)."""
    state = inspect(obj)
    changed = {}
    private = getattr(obj, "PRIVATE_FIELDS", ())  # a note's text: counted, never shown
    for attribute in state.mapper.column_attrs:
        if attribute.key in BOOKKEEPING or attribute.key in private:
            continue
        history = state.attrs[attribute.key].history
        if not history.added and not history.deleted:
            continue
        after = history.added[0] if history.added else None
        if created and after is None:
            continue
        before = None if created or not history.deleted else history.deleted[0]
        changed[attribute.key] = (shown(before), shown(after))
    return changed


def _merge(entry, fields):
    if entry is None:
        return
    for name, (before, after) in fields.items():
        first_before = entry["fields"].get(name, (before, None))[0]
        entry["fields"][name] = (first_before, after)


def _finished(entry):
    """Links between rows (`..._id`) are left out: the label says whose a row is."""
    return {"action": entry["action"], "label": entry["label"],
            "fields": [[name, before, after] for name, (before, after)
                       in entry["fields"].items() if before != after and not _link(name)]}


def _link(name):
    return name == "id" or name.endswith("_id")


def label(obj):
    """How a person names the row: "Helen Cooper"; "Helen Cooper's mobile phone
    (503-555-0142)"; "Ann Lee in Choir"; "a new email (ann@example.org)" when its owner is not
    loaded. Never a model name or an id."""
    name = type(obj).__name__
    if name == "Person":
        return _own_text(obj) or "a new person"
    noun = RECORD_NOUNS.get(name, name.lower())
    owner = _loaded(obj, "person")
    own = _own_text(obj)
    if owner is not None and own is not None and _own_text(owner):
        where = _loaded(obj, "location")
        kind = f"{where.lower()} {noun}" if isinstance(where, str) and where else noun
        return f"{_own_text(owner)}'s {kind} ({shown(own)})"
    if own is None and _membership(obj):
        return shown(_membership(obj))
    return f"a new {noun} ({shown(own)})" if own else f"a {noun}"


def _own_text(obj):
    for attribute in LABEL_ATTRIBUTES:
        value = _loaded(obj, attribute)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def _membership(obj):
    """Who in what, for a row linking a person to a family or group (when loaded already)."""
    person = _loaded(obj, "person")
    parent = _loaded(obj, "group") or _loaded(obj, "family")
    parts = [_own_text(related) for related in (person, parent) if related is not None]
    return " in ".join(part for part in parts if part) or None


def _loaded(obj, attribute):
    """An attribute's value if reading it costs no query (a preview must not load more)."""
    state = inspect(obj)
    if attribute in state.unloaded:
        return None
    if attribute == "full_name" and {"first_name", "last_name"} & state.unloaded:
        return None
    try:
        return getattr(obj, attribute, None)
    except Exception:  # a property over something not loaded: no label then
        return None


def shown(value):
    """A value as the report keeps it (JSON): dates as ISO text, long text cut short."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    text = value if isinstance(value, str) else str(value)
    return text if len(text) <= LONGEST_VALUE else text[:LONGEST_VALUE - 1] + "…"
