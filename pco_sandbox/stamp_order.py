"""A table's rows in created_at order, kept sorted, so a listing paged by created_at costs a
binary search and a page's slice instead of filtering and sorting the whole table per page
(at 100,000 people that made a Full Sync quadratic).

pcosync pages People and Households with `order=created_at&where[created_at][gte]=<stamp>`
from the oldest and `order=-created_at&where[created_at][lte]=<stamp>` from the newest
(pcosync/pco/stamp_paging.py), and a crowded second alone with `where[created_at]=<stamp>`
by offset: each is a contiguous run of this order, read forwards or backwards. Ties are in
id order either way, as queries.order_rows breaks them for every other listing (a stable
sort, reversed or not).
"""
import bisect

STAMP = "created_at"


class StampOrder:
    """(created_at, id) of every row, sorted, as two parallel lists (bisect on the stamps,
    then on the ids among equal stamps). Built on first use; the table keeps it up to date
    on insert and pop after that. A row's created_at never changes once it is in a table
    (no write assigns it; the generator stamps its crowded second before anything lists)."""

    def __init__(self, rows):
        keys = sorted((row[STAMP], row_id) for row_id, row in rows.items())
        self.stamps = [stamp for stamp, _ in keys]
        self.ids = [row_id for _, row_id in keys]

    def _position(self, stamp, row_id):
        low = bisect.bisect_left(self.stamps, stamp)
        high = bisect.bisect_right(self.stamps, stamp, low)
        return bisect.bisect_left(self.ids, row_id, low, high)

    def add(self, row):
        position = self._position(row[STAMP], row["id"])
        self.stamps.insert(position, row[STAMP])
        self.ids.insert(position, row["id"])

    def remove(self, row):
        position = self._position(row[STAMP], row["id"])
        if position < len(self.ids) and self.ids[position] == row["id"]:
            del self.stamps[position]
            del self.ids[position]

    def span(self, bounds):
        """[start, stop) of the rows whose stamp passes every (operator name, moment)."""
        start, stop = 0, len(self.stamps)
        for op, moment in bounds:
            if op in ("gt", "gte", "eq"):
                find = bisect.bisect_right if op == "gt" else bisect.bisect_left
                start = max(start, find(self.stamps, moment))
            if op in ("lt", "lte", "eq"):
                find = bisect.bisect_left if op == "lt" else bisect.bisect_right
                stop = min(stop, find(self.stamps, moment))
        return start, max(start, stop)


class StampSlice:
    """A run of a table's rows in created_at order (newest first when `descending`), looked
    up only when sliced: the listing asks for its length (total_count) and one page of it."""

    def __init__(self, table, order, start, stop, descending=False):
        self.table, self.order, self.start, self.stop = table, order, start, stop
        self.descending = descending

    def __len__(self):
        return self.stop - self.start

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("a StampSlice is read a page (a slice) at a time")
        first, last, step = index.indices(len(self))
        if self.descending:
            positions = map(self._descending, range(first, last, step))
            ids = [self.order.ids[position] for position in positions]
        else:
            ids = self.order.ids[self.start + first:self.start + last:step]
        return list(map(self.table.rows.__getitem__, ids))

    def _descending(self, index):
        """The order's position of the run's `index`th row newest first: stamps from the
        newest, ties still in id order (the tie's group read forwards)."""
        stamps = self.order.stamps
        mirrored = self.stop - 1 - index  # the same stamp's group, read backwards
        low = bisect.bisect_left(stamps, stamps[mirrored], self.start, self.stop)
        high = bisect.bisect_right(stamps, stamps[mirrored], self.start, self.stop)
        return low + (index - (self.stop - high))
