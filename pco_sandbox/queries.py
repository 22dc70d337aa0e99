"""`where[...]` filters and `order=` for list endpoints, as PCO documents them.

- `where[attr]=value`: case-insensitive equality; a leading/trailing `%` matches partially.
- `where[attr][gt|gte|lt|lte]=<ISO 8601>` on date-times; combinable.
- People's search scopes (`search_name_or_email` ...).
- `where[id]=1,2,3`: any of the ids (an assumption pcosync does not depend on, see above).
- `order=attr` / `order=-attr`, ties broken by id like a database primary key would.
"""
import operator
import re
from zoneinfo import ZoneInfo

from . import records
from .kinds import KINDS
from .stamp_order import STAMP, StampSlice
from .tables import Table

WHERE_KEY = re.compile(r"^where\[(\w+)\](?:\[(\w+)\])?$")
COMPARATORS = {"gt": operator.gt, "gte": operator.ge, "lt": operator.lt, "lte": operator.le}


class QueryError(Exception):
    """A filter or order the endpoint does not understand (answered with 400)."""


def select(kind_name, rows, args, ctx):
    """The rows (a list, or a whole Table) that pass `where[...]`, in `order=` order."""
    kind = KINDS[kind_name]
    if isinstance(rows, Table):
        by_stamp = _stamp_run(kind, rows, args, ctx)
        if by_stamp is not None:
            return by_stamp
        rows = rows.values()
    predicates = [_predicate(kind, attr, op, value, ctx) for attr, op, value in where_clauses(args)]
    if predicates:
        rows = [row for row in rows if all(test(row) for test in predicates)]
    else:
        rows = list(rows)
    return order_rows(kind, rows, args.get("order"), ctx)


def _stamp_run(kind, table, args, ctx):
    """`order=created_at` (or `-created_at`) with nothing but created_at comparisons: a run of
    the table's created_at order (stamp_order.py), O(log n) and a page, where filtering and
    sorting the whole table would cost O(n log n) a page. None: any other listing, answered
    the long way."""
    if args.get("order") not in (STAMP, f"-{STAMP}") or STAMP not in kind.can_query_by:
        return None
    clauses = where_clauses(args)
    if any(attr != STAMP for attr, _, _ in clauses):
        return None
    zone = ZoneInfo(ctx.organization["time_zone"])
    bounds = []
    for _, op, value in clauses:
        moment = records.parse_time(value, zone)
        if moment is None or (op or "eq") not in (*COMPARATORS, "eq"):
            return None  # the long way answers it with its 400
        bounds.append((op or "eq", moment))
    order = table.stamp_order()
    return StampSlice(table, order, *order.span(bounds),
                      descending=args["order"].startswith("-"))


def where_clauses(args):
    clauses = []
    for key, value in args.items():
        match = WHERE_KEY.match(key)
        if match:
            clauses.append((match.group(1), match.group(2), value))
    return clauses


def value_of(kind, row, attr, ctx):
    key = kind.stored_as.get(attr, attr)
    if key in row:
        return row[key]
    return kind.attributes(row, ctx).get(attr)


def _predicate(kind, attr, op, value, ctx):
    special = SEARCHES.get(attr)
    if special and kind.name == "people":
        return special(value, ctx)
    if attr == "id" and not op:
        # Several ids, comma-separated, select each of them (pcosync re-reads people in bulk
        # this way and falls back to one request per person where a PCO answers otherwise).
        wanted = {part.strip() for part in value.split(",") if part.strip()}
        return lambda row: str(row["id"]) in wanted
    if attr not in kind.can_query_by and attr != "id":
        raise QueryError(f"where[{attr}] is not a queryable attribute of {kind.type}")
    if attr in records.TIME_FIELDS:
        return _time_predicate(kind, attr, op or "eq", value, ctx)
    if op:
        raise QueryError(f"where[{attr}][{op}] is only supported on date-time attributes")
    matches = _text_matcher(value)
    return lambda row: matches(value_of(kind, row, attr, ctx))


def _time_predicate(kind, attr, op, value, ctx):
    zone = ZoneInfo(ctx.organization["time_zone"])
    moment = records.parse_time(value, zone)
    if moment is None:
        raise QueryError(f"where[{attr}] must be an ISO 8601 date or date-time")
    compare = COMPARATORS.get(op, operator.eq)
    if op not in COMPARATORS and op != "eq":
        raise QueryError(f"where[{attr}][{op}] is not a supported comparison")

    def test(row):
        stamp = value_of(kind, row, attr, ctx)
        return stamp is not None and compare(stamp, moment)
    return test


def as_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value).lower()


def _text_matcher(expected):
    text = expected.lower()
    core = text.strip("%")
    if text.startswith("%") and text.endswith("%") and len(text) > 1:
        return lambda actual: core in as_text(actual)
    if text.startswith("%"):
        return lambda actual: as_text(actual).endswith(core)
    if text.endswith("%"):
        return lambda actual: as_text(actual).startswith(core)
    return lambda actual: as_text(actual) == text


# -- people's search scopes -----------------------------------------------------------

def _name_contains(value):
    needle = value.strip().lower()
    return lambda person: needle in (person.get("name") or "").lower()


def _people_with_email(value, ctx):
    wanted = value.strip().lower()
    return {email["person_id"] for email in ctx.db.contacts["emails"].values()
            if (email.get("address") or "").strip().lower() == wanted}


def _people_with_phone(value, ctx, field="number"):
    digits = re.sub(r"\D", "", value)
    if not digits:
        return set()
    found = set()
    for phone in ctx.db.contacts["phone_numbers"].values():
        stored = re.sub(r"\D", "", phone.get(field) or "")
        # E.164: exact once punctuation is discounted; a number: the digits typed, inside.
        if (stored == digits) if field == "e164" else digits in stored:
            found.add(phone["person_id"])
    return found


def _search_name(value, ctx):
    return _name_contains(value)


def _search_name_or_email(value, ctx):
    by_name, by_email = _name_contains(value), _people_with_email(value, ctx)
    return lambda person: person["id"] in by_email or by_name(person)


def _search_everything(value, ctx):
    by_name_or_email = _search_name_or_email(value, ctx)
    by_phone = _people_with_phone(value, ctx)
    return lambda person: person["id"] in by_phone or by_name_or_email(person)


def _search_phone(value, ctx):
    by_phone = _people_with_phone(value, ctx)
    return lambda person: person["id"] in by_phone


def _search_e164(value, ctx):
    by_phone = _people_with_phone(value, ctx, field="e164")
    return lambda person: person["id"] in by_phone


SEARCHES = {
    "search_name": _search_name,
    "search_name_or_email": _search_name_or_email,
    "search_name_or_email_or_phone_number": _search_everything,
    "search_phone_number": _search_phone,
    "search_phone_number_e164": _search_e164,
}


# -- order ----------------------------------------------------------------------------

def order_rows(kind, rows, order, ctx):
    """Rows arrive in id order; stable sorts keep that as the tie-breaker."""
    if not order:
        return rows
    for term in reversed([part.strip() for part in order.split(",") if part.strip()]):
        attr = term.lstrip("-")
        if attr not in kind.can_order_by and attr != "id":
            raise QueryError(f"order={attr} is not an orderable attribute of {kind.type}")
        descending = term.startswith("-")
        # Nulls sort last ascending (PostgreSQL's default), first descending.
        rows.sort(key=lambda row: _sort_key(value_of(kind, row, attr, ctx)), reverse=descending)
    return rows


def _sort_key(value):
    if value is None:
        return (1, "")
    if isinstance(value, str):
        return (0, value.lower())
    return (0, value)
