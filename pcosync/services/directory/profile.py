"""What the directory offers for a person's profile: PCO's choice lists and campuses as kept
locally (rules/choices keeps them), and grade names for PCO's grade numbers."""
from sqlalchemy import select

from ...extensions import db
from ...models import GROUP_TAG, PERSON_CHOICE_KINDS, Campus, ProfileChoice

_ORDINALS = {1: "1st", 2: "2nd", 3: "3rd"}
# PCO's grade scale: -1 pre-K, 0 kindergarten, then the school grades.
GRADES = ((-1, "Pre-K"), (0, "Kindergarten")) + tuple(
    (number, f"{_ORDINALS.get(number, f'{number}th')} grade") for number in range(1, 13))
GRADE_NAMES = dict(GRADES)


def grade_name(grade):
    if grade is None:
        return None
    return GRADE_NAMES.get(grade, f"Grade {grade}")


def choice_values(kind):
    """The values of one list (marital_status, ...), once each, alphabetically."""
    if kind not in PERSON_CHOICE_KINDS + (GROUP_TAG,):
        raise ValueError(f"not a kind of choice: {kind!r}")
    rows = db.session.scalars(select(ProfileChoice.value).where(ProfileChoice.kind == kind)
                              .distinct())
    return sorted(rows, key=str.casefold)


def all_choice_values():
    """{kind: values} for every list a person's form offers (one query)."""
    found = {kind: set() for kind in PERSON_CHOICE_KINDS}
    rows = db.session.execute(select(ProfileChoice.kind, ProfileChoice.value).where(
        ProfileChoice.kind.in_(PERSON_CHOICE_KINDS)))
    for kind, value in rows:
        found[kind].add(value)
    return {kind: sorted(values, key=str.casefold) for kind, values in found.items()}


def campuses():
    return db.session.scalars(select(Campus).order_by(Campus.name, Campus.id)).all()
