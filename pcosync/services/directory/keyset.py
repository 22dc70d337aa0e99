"""Keyset paging for the people list: "Next" and "Previous" carry the first or last row's sort
key, and a page is read as the `size` rows after (or before) it in the index's order. Every
page then costs what the first does, where LIMIT/OFFSET walks past every earlier row (65 ms
for the middle of 50,000 people against 23 ms for the first).

The key is (last name, first name, id) with a missing name part read as "" (NULLs sort first on
SQLite and last on PostgreSQL, and a row value holding one compares as unknown), compared as a
row value, which both databases answer from the index on those same expressions. The key's
first part is compared on its own too: SQLite starts an index range from a plain comparison on
an expression column, not from a row value (it would read the index from its start). A bare
page number (an old link, a typed URL) still works, by LIMIT/OFFSET.
"""
import base64
import json
import math

from sqlalchemy import func, select, tuple_

from ...extensions import db
from .common import PAGE_SIZE, Page


def encode(row_key):
    raw = json.dumps(list(row_key), separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(token):
    """The key in a link, or None for anything that is not one (a bad link is page 1)."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        key = json.loads(raw)
    except ValueError:
        return None
    ok = (isinstance(key, list) and len(key) == 3 and isinstance(key[0], str)
          and isinstance(key[1], str) and isinstance(key[2], int))
    return tuple(key) if ok else None


def keyset_page(query, order, row_key, number, after=None, before=None, size=PAGE_SIZE):
    """The page after the key `after` (or before `before`), numbered `number` for display.
    `order`: the ascending key columns (none of them NULL); `row_key(row)`: a row's values of
    them."""
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    pages = max(1, math.ceil(total / size))
    key = tuple_(*order)
    if before is not None:
        rows = db.session.scalars(query.where(order[0] <= before[0], key < tuple_(*before))
                                  .order_by(*[c.desc() for c in order]).limit(size + 1))
        items = rows.unique().all()
        more_before = len(items) > size
        items = list(reversed(items[:size]))
        more_after = True
    else:
        if after is not None:
            query = query.where(order[0] >= after[0], key > tuple_(*after))
        items = db.session.scalars(query.order_by(*order).limit(size + 1)).unique().all()
        more_after, more_before = len(items) > size, after is not None
        items = items[:size]
    number = max(1, min(number, pages))
    page = Page(items=items, number=number, size=size, total=total)
    page.prev_key = encode(row_key(items[0])) if items and more_before else None
    page.next_key = encode(row_key(items[-1])) if items and more_after else None
    return page
