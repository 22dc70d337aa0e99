"""The church's own name equivalences (José/Pepe, a compound surname and its short form): the
name rule (rules/names) treats each pair as one name. English nicknames need none: the
`nicknames` dataset knows them."""
from sqlalchemy import select

from ...extensions import db
from ...models import NameEquivalence, NameKind
from ..rules.names import name_key_part

KIND_LABELS = {NameKind.FIRST: "First names", NameKind.LAST: "Last names"}


def listed():
    """[(kind label, [NameEquivalence])], first names first."""
    rows = db.session.scalars(select(NameEquivalence).order_by(
        NameEquivalence.kind, NameEquivalence.name, NameEquivalence.other_name)).all()
    return [(label, [row for row in rows if row.kind == kind])
            for kind, label in KIND_LABELS.items()]


def add(kind, name, other_name, by):
    """(the new row, None) or (None, why it was refused)."""
    if kind not in set(NameKind):
        return None, "Choose first names or last names."
    low, high = sorted((name_key_part(name), name_key_part(other_name)))
    if not low or not high:
        return None, "Give both names."
    if low == high:
        return None, "Those are already the same name (case, accents and spacing never count)."
    exists = db.session.scalar(select(NameEquivalence.id).where(
        NameEquivalence.kind == kind, NameEquivalence.name == low,
        NameEquivalence.other_name == high))
    if exists:
        return None, f"{low.title()} and {high.title()} are already the same name."
    row = NameEquivalence(kind=kind, name=low[:120], other_name=high[:120], added_by=by)
    db.session.add(row)
    db.session.commit()
    return row, None


def remove(row_id):
    row = db.session.get(NameEquivalence, row_id)
    if row is None:
        return None
    db.session.delete(row)
    db.session.commit()
    return row
