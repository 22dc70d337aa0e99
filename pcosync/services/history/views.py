"""The history as the pages read it: a person's, family's or group's changes newest first, a
page at a time, and what one run changed, by record. Each entry carries the names its words
need (the person, family or group, the user, a campus or a primary member a value refers to);
the blueprints put them in words."""
from dataclasses import dataclass

from sqlalchemy import func, select

from ...extensions import db
from ...models import (
    SENSITIVE_FIELDS, Campus, Family, FieldChange, FieldDefinition, FieldValue, Group, Person,
    User,
)
from .revert import run_ids

PAGE_SIZE = 25
OWNER_COLUMNS = {"person": FieldChange.person_id, "family": FieldChange.family_id,
                 "group": FieldChange.group_id}
# Values that are ids of other rows: shown by the name of the row.
REFERENCES = {"campus_id": (Campus, lambda row: row.name),
              "primary_member_id": (Person, lambda row: row.full_name)}


@dataclass
class HistoryPage:
    """One page, newest first. No total is counted: counting a long history would cost more
    than reading its page (the page reads one row more to know whether there is an older one)."""
    entries: list
    number: int
    has_next: bool
    size: int = PAGE_SIZE

    @property
    def has_prev(self):
        return self.number > 1

    @property
    def pages(self):
        """As many as are known: this one, and the next when there is one."""
        return self.number + (1 if self.has_next else 0)


def visible(query, show_sensitive):
    """Sensitive fields' changes only for those who may see the fields."""
    return query if show_sensitive else query.where(FieldChange.field.not_in(SENSITIVE_FIELDS))


def page_of(owner, owner_id, number=1, show_sensitive=False):
    """`owner` ("person", "family", "group")'s history, newest first."""
    column = OWNER_COLUMNS[owner]
    query = visible(select(FieldChange).where(column == owner_id), show_sensitive)
    number = max(1, number)
    rows = db.session.scalars(query.order_by(FieldChange.id.desc()).limit(PAGE_SIZE + 1)
                              .offset((number - 1) * PAGE_SIZE)).all()
    return HistoryPage(entries=named(rows[:PAGE_SIZE]), number=number,
                       has_next=len(rows) > PAGE_SIZE)


def run_changes(run_id, show_sensitive=False, limit=500):
    """{"records": [(record name, [entry, ...]), ...], "total": n} for a run and its steps."""
    query = visible(select(FieldChange).where(FieldChange.run_id.in_(run_ids(run_id))),
                    show_sensitive)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(query.order_by(FieldChange.id).limit(limit)).all()
    records = {}
    for entry in named(rows):
        records.setdefault(entry.record_name, []).append(entry)
    return {"records": list(records.items()), "total": total, "shown": len(rows)}


@dataclass
class Entry:
    change: FieldChange
    record_name: str  # "Ann Lee", "Lee family", "Choir"
    user_name: str | None
    definition: str | None  # a custom field's name
    before: str | None  # referenced rows by name
    after: str | None

    def __getattr__(self, name):
        return getattr(self.change, name)


def named(rows):
    names = _names(rows)
    return [Entry(row, _record_name(row, names), names["user"].get(row.user_id),
                  names["definition"].get(row.record_id) if row.record_type == "FieldValue"
                  else None, _value(row, row.before, names), _value(row, row.after, names))
            for row in rows]


def _names(rows):
    """Every name the rows need, a query per kind of row."""
    def load(model, ids, text):
        ids = {i for i in ids if i is not None}
        if not ids:
            return {}
        return {row.id: text(row) for row in db.session.scalars(
            select(model).where(model.id.in_(ids)))}

    names = {"person": load(Person, (r.person_id for r in rows), lambda p: p.full_name),
             "family": load(Family, (r.family_id for r in rows), lambda f: f.name),
             "group": load(Group, (r.group_id for r in rows), lambda g: g.name),
             "user": load(User, (r.user_id for r in rows), lambda u: u.name or u.email)}
    names["definition"] = _definitions([r.record_id for r in rows
                                        if r.record_type == "FieldValue"])
    for field, (model, text) in REFERENCES.items():
        ids = [int(v) for r in rows if r.field == field for v in (r.before, r.after)
               if v and v.isdigit()]
        names[field] = load(model, ids, text)
    return names


def _definitions(value_ids):
    if not value_ids:
        return {}
    return dict(db.session.execute(
        select(FieldValue.id, FieldDefinition.name).join(FieldValue.definition)
        .where(FieldValue.id.in_(value_ids))).all())


def _record_name(row, names):
    for owner in ("person", "family", "group"):
        found = names[owner].get(getattr(row, f"{owner}_id"))
        if found:
            return found
    return "(removed)"


def _value(row, text, names):
    if row.field in REFERENCES and text and text.isdigit():
        return names[row.field].get(int(text), "(removed)")
    return text
