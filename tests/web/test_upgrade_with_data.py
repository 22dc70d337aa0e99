"""Upgrades keep a church's data: the schema is built at each recorded earlier revision, filled
with a generated church through plain SQL against the tables as they are at that revision
(every table gets rows), then upgraded to head; every row is still there with the values it had.

Rows are built from the reflected tables: a value per column type, the values a CHECK allows,
one side of an either-or pair, parents picked from the rows already inserted. CHURCH names the
columns where a church's own values read better or where the schema says too little (a
unique name drawn from a short list, a slot that must stay empty). A table or column type the
builder does not know fails loudly: say what it holds in CHURCH or in `column_value`.

When a release ships, add its head revision to RECORDED_REVISIONS, so every migration after it
runs over data. A value a migration rewrites on purpose goes in REWRITTEN with that revision.
"""
import itertools
import re
from datetime import date, datetime, timedelta, timezone

import flask_migrate
import pytest
import sqlalchemy as sa

from pcosync import create_app
from pcosync.extensions import db
from tests.support import SEEDED_TABLES

# The head of each release, oldest first. e3f7d7862f4a: the schema with attendance,
# disconnections, erasures, stored files and their failed downloads, a connection's token
# columns and a file's size, so that every migration after it also runs over rows in those.
RECORDED_REVISIONS = ["e5c2a8f4d1b7", "e3f7d7862f4a"]
# {(table, column): revision of the migration that rewrites that column's values on purpose}
REWRITTEN = {}
# Columns every row leaves empty on purpose (see CHURCH); every other column holds a value.
ALWAYS_EMPTY = {("sync_runs", "active_slot")}
ROWS_PER_TABLE = 4
ROWS = {"people": 40, "emails": 40, "phone_numbers": 30, "addresses": 20, "families": 10,
        "family_members": 30, "groups": 6, "group_memberships": 48, "field_values": 30,
        "review_items": 14, "sync_runs": 10, "sync_issues": 8, "webhook_deliveries": 8}
START = datetime(2024, 3, 1, 9, 30, tzinfo=timezone.utc)
FIRST_NAMES = ["Ruth", "Samuel", "Grace", "Daniel", "Esther", "Isaac", "Lydia", "Jonah"]
LAST_NAMES = ["Okafor", "Lindqvist", "García", "Nguyen", "O'Brien"]


def cycle(*values):
    return lambda i: values[i % len(values)]


CHURCH = {
    "people": {
        "first_name": lambda i: FIRST_NAMES[i % len(FIRST_NAMES)],
        "last_name": lambda i: LAST_NAMES[i % len(LAST_NAMES)],
        "search_name": lambda i: f"{FIRST_NAMES[i % 8]} {LAST_NAMES[i % 5]}".lower(),
        "gender": cycle("Male", "Female"), "child": lambda i: i % 5 == 4,
        "pco_synced_state": lambda i: {"first_name": FIRST_NAMES[i % 8], "gender": "Male"},
    },
    "emails": {"address": lambda i: f"member{i}@example.org",
               "normalized": lambda i: f"member{i}@example.org", "location": cycle("Home", "Work")},
    "phone_numbers": {"number": lambda i: f"(615) 555-{i:04d}",
                      "digits": lambda i: f"615555{i:04d}", "location": cycle("Mobile", "Home")},
    "addresses": {"city": cycle("Nashville", "Franklin"), "state": cycle("TN"),
                  "zip": lambda i: f"372{i:02d}", "country_code": cycle("US")},
    "families": {"name": lambda i: f"The {LAST_NAMES[i % 5]} Household"},
    "family_members": {"role": cycle("adult", "child")},
    "departments": {"name": cycle("Worship", "Youth", "Children", "Outreach")},
    "groups": {"name": lambda i: f"Small group {i}", "tags": lambda i: ["Adults", "Weekly"]},
    "campuses": {"name": cycle("Downtown", "North", "East", "Online")},
    "field_definitions": {"data_type": cycle("string", "select", "date", "checkboxes")},
    "sync_runs": {"kind": cycle("Full Sync", "People", "Push People", "Quick Sync"),
                  "active_slot": lambda i: None, "report": lambda i: {"people": {"updated": i}}},
    "sync_cursors": {"resource": cycle("people", "emails", "phone_numbers", "addresses")},
    "sync_schedules": {"full_sync_at": cycle("03:00", "23:30"), "quick_sync_seconds": cycle(300)},
    "users": {"email": lambda i: f"staff{i}@example.org"},
    "roles": {"name": lambda i: f"UPGRADE_TEST_ROLE_{i}"},
    "webhook_deliveries": {"event_name": cycle("people.v2.events.person.updated"),
                           "body": lambda i: '{"data": [{"id": "%d"}]}' % i},
}


def column_value(column, i):
    """A value `column` holds in row `i`, unique within the table."""
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return i % 2 == 0
    if isinstance(kind, sa.DateTime):
        moment = START + timedelta(hours=i)
        return moment if kind.timezone else moment.replace(tzinfo=None)
    if isinstance(kind, sa.Date):
        return date(1960, 1, 1) + timedelta(days=97 * i)
    if isinstance(kind, (sa.Integer, sa.Numeric)):
        return i + 1
    if isinstance(kind, sa.JSON):
        return {"row": i, "column": column.name}
    if isinstance(kind, sa.String):
        text = f"{column.name}-{i}"
        return text[-kind.length:] if kind.length else text
    raise AssertionError(f"no value for {column.table.name}.{column.name} ({kind!r}): "
                         "add one to column_value or CHURCH")


class Checks:
    """What a table's CHECK constraints ask of its columns, read from their SQL (SQLite's and
    PostgreSQL's spellings): `column in ('a', 'b')`, and either-or pairs
    `(a IS NULL) != (b IS NULL)`."""

    EITHER = re.compile(r"\((\w+) IS NULL\) (?:!=|<>) \((\w+) IS NULL\)")

    def __init__(self, table):
        self.choices, self.either = {}, []
        for check in table.constraints:
            if isinstance(check, sa.CheckConstraint):
                self.read(table, str(check.sqltext))

    def read(self, table, sql):
        if pair := self.EITHER.search(sql):
            self.either.append(pair.groups())
            return
        literals = re.findall(r"'([^']*)'", sql)
        named = [c.name for c in table.columns if re.search(rf"\b{c.name}\b", sql)]
        if literals and len(named) == 1:
            self.choices[named[0]] = literals

    def empty_in_row(self, i):
        """The side of each either-or pair row `i` leaves empty."""
        return {pair[i % 2] for pair in self.either}


def row(table, i, checks, inserted):
    values, church = {}, CHURCH.get(table.name, {})
    empty = checks.empty_in_row(i)
    for position, column in enumerate(table.columns):
        if generated_key(column):
            continue
        if column.name in empty or points_at_own_table(column):
            values[column.name] = None
        elif column.name in church:
            values[column.name] = church[column.name](i)
        elif column.name in checks.choices:
            values[column.name] = cycle(*checks.choices[column.name])(i)
        elif column.foreign_keys:
            parents = inserted[next(iter(column.foreign_keys)).column.table.name]
            # Shifted by position: two columns naming one table (a person and the other
            # person) pick different rows, and pairs of parents stay unique.
            values[column.name] = parents[(i + 7 * position) % len(parents)]
        else:
            values[column.name] = column_value(column, i)
    return values


def generated_key(column):
    key = column.table.primary_key.columns
    return len(key) == 1 and column.primary_key and isinstance(column.type, sa.Integer)


def points_at_own_table(column):
    return any(key.column.table is column.table for key in column.foreign_keys)


def fill(conn, tables):
    """Rows in every table, parents first; returns {table: [primary key, ...]} (single-column
    keys; composite ones as tuples)."""
    inserted = {}
    for table in tables.sorted_tables:
        if table.name == "alembic_version":
            continue
        checks, count = Checks(table), ROWS.get(table.name, ROWS_PER_TABLE)
        rows = [row(table, i, checks, inserted) for i in range(count)]
        key = list(table.primary_key.columns)
        result = conn.execute(table.insert().returning(*key, sort_by_parameter_order=True), rows)
        inserted[table.name] = [r[0] if len(key) == 1 else tuple(r) for r in result]
        link_to_own_rows(conn, table, inserted[table.name])
    return inserted


def link_to_own_rows(conn, table, keys):
    """Every third row points at the row before it (a merged person, a run's step)."""
    for column in filter(points_at_own_table, table.columns):
        (key,) = table.primary_key.columns
        for earlier, later in itertools.islice(zip(keys, keys[1:]), 0, None, 3):
            conn.execute(table.update().where(key == later).values({column.name: earlier}))


def reflect(engine):
    tables = sa.MetaData()
    tables.reflect(engine)
    return tables


def snapshot(engine, tables):
    """{table: {primary key: {column: value}}} of every row."""
    rows = {}
    with engine.connect() as conn:
        for table in tables.sorted_tables:
            key = list(table.primary_key.columns)
            rows[table.name] = {tuple(r[c.name] for c in key): dict(r)
                                for r in conn.execute(sa.select(table)).mappings()}
    return rows


def unfilled_columns(rows):
    """(table, column) of each column no row gives a value."""
    return {(table, column) for table, by_key in rows.items() if by_key
            for column in next(iter(by_key.values()))
            if all(row[column] is None for row in by_key.values())}


def differences(before, after):
    """(table, key, column, value before, value after) for each value the upgrade lost or
    changed, in the columns both schemas have and no migration rewrites on purpose."""
    found = []
    for table, rows in before.items():
        for key, old in rows.items():
            new = after[table].get(key, {})
            found += [(table, key, column, value, new.get(column, "(row lost)"))
                      for column, value in old.items()
                      if (table, column) not in REWRITTEN and (column in new or not new)
                      and new.get(column, "(row lost)") != value]
    return found


@pytest.mark.parametrize("revision", RECORDED_REVISIONS)
def test_upgrade_keeps_every_row(empty_database, revision):
    app = create_app({"TESTING": True, "DATABASE_URL": empty_database, "SECRET_KEY": "x"})
    with app.app_context():
        flask_migrate.upgrade(revision=revision)
        with db.engine.begin() as conn:
            fill(conn, reflect(conn))
        before = snapshot(db.engine, reflect(db.engine))
        flask_migrate.upgrade()
        after = snapshot(db.engine, reflect(db.engine))
        db.engine.dispose()
    del before["alembic_version"]
    assert [table for table, rows in before.items() if not rows] == []
    assert unfilled_columns(before) - ALWAYS_EMPTY == set()
    assert sorted(set(before) - set(after)) == []
    counts = {table: len(rows) for table, rows in before.items()}
    assert {table: len(after[table]) for table in before} == counts | {
        table: len(after[table]) for table in SEEDED_TABLES & set(before)}  # may gain rows
    assert differences(before, after) == []
