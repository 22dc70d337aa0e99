"""What the directory pages share: server-side paging and the error a refused edit raises.

The directory's logic lives in `people`, `contacts`, `families` and `groups` beside this
module; searching in `search`.
"""
import math
from dataclasses import dataclass

from sqlalchemy import func, select

from ...extensions import db
from ...models import Person
from ...models.numbers import NumberError, bounded_int

PAGE_SIZE = 50
MAX_PAGE = 1_000_000  # an offset past it would overflow the database's integer


class DirectoryError(ValueError):
    """An edit that can't be made as asked; the message says why, in words for the admin."""


def find_by_id(rows, row_id):
    """The member (or membership) with that id among a family's or group's, else None."""
    return next((row for row in rows if row.id == row_id), None)


def set_role(link, role):
    """A family member's or group membership's role."""
    link.role = role
    db.session.commit()


def person_to_add(person_id, present_ids, already):
    """The live person to add to a family or a group; DirectoryError when they can't be
    (`already`: how to say they are in it, e.g. "already in this group")."""
    person = db.session.get(Person, person_id)
    if person is None or person.archived_at is not None:
        raise DirectoryError("That person is not in the directory.")
    if person.id in present_ids:
        raise DirectoryError(f"{person.full_name} is {already}.")
    return person


@dataclass
class Page:
    items: list
    number: int
    size: int
    total: int
    # Keyset paging (keyset.py): the keys "Previous" and "Next" carry, when there are some.
    prev_key: str | None = None
    next_key: str | None = None

    @property
    def pages(self):
        return max(1, math.ceil(self.total / self.size))

    @property
    def has_prev(self):
        return self.number > 1

    @property
    def has_next(self):
        return self.number < self.pages

    @property
    def first_index(self):
        """1-based position of the first item shown, for "Showing 51–100 of 812"."""
        return (self.number - 1) * self.size + 1 if self.items else 0

    @property
    def last_index(self):
        return (self.number - 1) * self.size + len(self.items)


def page_number(raw):
    """A page number from the query string; anything odd means page 1."""
    try:
        return bounded_int(raw, 1, MAX_PAGE)
    except NumberError:
        return 1


def paginate(query, order, number, size=PAGE_SIZE):
    """One page of `query` in `order` (columns an index serves), by LIMIT/OFFSET.

    A page past the middle is read from the other end of the index and turned round, so the
    last page costs what the first does and the worst is the middle one."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    number = min(number, max(1, math.ceil(total / size)))
    offset = (number - 1) * size
    wanted = max(0, min(size, total - offset))
    if offset > total / 2:
        backwards = query.order_by(*[column.desc() for column in order])
        rows = db.session.scalars(backwards.limit(wanted).offset(total - offset - wanted))
        items = list(reversed(rows.unique().all()))
    else:
        rows = db.session.scalars(query.order_by(*order).limit(size).offset(offset))
        items = rows.unique().all()
    return Page(items=items, number=number, size=size, total=total)
