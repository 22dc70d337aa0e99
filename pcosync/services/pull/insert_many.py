"""Many new rows in one statement.

SQLAlchemy sends a many-row INSERT as an executemany (psycopg pipelines one INSERT per row:
PostgreSQL then plans and runs each row alone, about 7 ms a page of a hundred people's emails)
or, with RETURNING, as one INSERT with a placeholder per value (2,500 for a page of people,
which psycopg parses again on every page: too long for its cache). On PostgreSQL the rows go as
one array per column instead, `INSERT INTO t (a, b) SELECT * FROM unnest(%b::a_type[],
%b::b_type[])`, sent in binary: a statement as short as the table is wide, one round trip, with
or without RETURNING, about a third of the time. Elsewhere (SQLite, in-process) the executemany
stays: it costs no round trip.

Values go through each column's own bind processing (JSON, aware datetimes), and a column no
row sets takes its Python default, as SQLAlchemy's INSERT gives it.

New rows with rows of their own (a page's new people with their emails, phone numbers,
addresses, custom-field values and history) go in together with insert_with_children: on
PostgreSQL one statement, each child table's INSERT in a WITH that takes its parents' new ids
from the parents' INSERT ... RETURNING; elsewhere the parents, then each child table.
"""
from dataclasses import dataclass

from sqlalchemy import insert, select

from ...extensions import db


@dataclass(frozen=True)
class NewId:
    """In a child row: the id the new parent row whose key is `key` gets."""

    key: str


def insert_rows(model, rows, returning=()):
    """Insert `rows` (dicts of column values) into `model`'s table in one statement. Every row
    gets the same columns: a column some row left unset takes its default there, as the ORM's
    would. `returning`: columns of the new rows, returned (in no set order; the caller checks
    the database can return rows from a many-row INSERT)."""
    if not rows:
        return []
    table = model.__table__
    rows = _same_columns(table, rows)
    connection = db.session.connection()
    if connection.dialect.name == "postgresql" and _as_arrays(table):
        return _insert_arrays(connection, table, rows, returning)
    if returning:
        return db.session.execute(insert(table).returning(*returning), rows).all()
    db.session.execute(insert(table), rows)
    return []


def insert_with_children(model, key, rows, children):
    """Insert `rows` into `model`, then `children` [(model, rows)] whose NewId values stand for
    their new parents' ids; returns {the parents' `key` column: their new id}."""
    if not rows:
        return {}
    rows, children = _checked(model, key, rows, children)
    connection = db.session.connection()
    if _one_statement(connection.dialect, model, children):
        sql, arrays = _with_children_sql(connection.dialect, model, key, rows, children)
        return dict(connection.exec_driver_sql(sql, arrays).all())
    ids = inserted_ids(model, key, rows)
    for child, child_rows in children:
        insert_rows(child, [{name: ids[value.key] if isinstance(value, NewId) else value
                             for name, value in row.items()} for row in child_rows])
    return ids


def statement_with_children(model, key, rows, children):
    """insert_with_children's one statement, not sent: (SQL, parameters) for a connection's
    exec_driver_sql, which returns the parents' (key, id) rows. None where it would take more
    than one statement (not PostgreSQL, a default computed by SQL)."""
    rows, children = _checked(model, key, rows, children)
    dialect = db.session.get_bind().dialect
    if not rows or not _one_statement(dialect, model, children):
        return None
    return _with_children_sql(dialect, model, key, rows, children)


def _checked(model, key, rows, children):
    rows = _same_columns(model.__table__, rows)
    children = [(child, _same_columns(child.__table__, child_rows))
                for child, child_rows in children if child_rows]
    _check_parents(rows, key, children)
    return rows, children


def _one_statement(dialect, model, children):
    return dialect.name == "postgresql" and all(
        _as_arrays(table.__table__) for table in (model, *(child for child, _ in children)))


def inserted_ids(model, key, rows):
    """Insert `rows`; {their `key` column: local id}. One INSERT ... RETURNING where the
    database returns rows from a many-row INSERT (PostgreSQL, SQLite 3.35+), else the INSERT
    and a SELECT (a round trip more per page)."""
    if db.session.get_bind().dialect.insert_executemany_returning:
        return dict(insert_rows(model, rows, returning=(key, model.id)))
    insert_rows(model, rows)
    keys = [row[key.key] for row in rows]
    return dict(db.session.execute(select(key, model.id).where(key.in_(keys))).all())


def _check_parents(rows, key, children):
    """Every NewId names a parent of `rows`, and a column holds NewIds in every row or in none
    (on PostgreSQL a child row is joined to its parent: one with none would be lost)."""
    keys = {row[key.key] for row in rows}
    for child, child_rows in children:
        for name in child_rows[0]:
            new = [isinstance(row[name], NewId) for row in child_rows]
            if any(new) and not all(new):
                raise ValueError(f"{child.__name__}.{name} mixes new parents' ids and values")
            if any(new) and any(row[name].key not in keys for row in child_rows):
                raise ValueError(f"a {child.__name__} row names no new parent")


def _same_columns(table, rows):
    names = set().union(*rows)
    if all(len(row) == len(names) for row in rows):
        return rows
    defaults = {name: _default(table.c[name]) for name in names}
    return [{name: row[name] if name in row else defaults[name]() for name in names}
            for row in rows]


def _as_arrays(table) -> bool:
    """Whether every Python-side default of the table can be computed here (a SQL expression
    default is left to SQLAlchemy's INSERT)."""
    return not any(column.default is not None and column.default.is_clause_element
                   for column in table.c)


def _insert_arrays(connection, table, rows, returning):
    sql, arrays = _unnest_insert(connection.dialect, table, rows)
    if returning:
        quote = connection.dialect.identifier_preparer.quote
        sql += " RETURNING " + ", ".join(quote(column.name) for column in returning)
        return connection.exec_driver_sql(sql, tuple(arrays)).all()
    connection.exec_driver_sql(sql, tuple(arrays))
    return []


def _with_children_sql(dialect, model, key, rows, children):
    """The parents and their children in one statement (see the module's text), and its
    parameters."""
    quote = dialect.identifier_preparer.quote
    parent_sql, arrays = _unnest_insert(dialect, model.__table__, rows)
    new_ids = f"{quote(key.name)}, {quote(model.id.name)}"
    steps = [f"parent AS ({parent_sql} RETURNING {new_ids})"]
    for number, (child, child_rows) in enumerate(children):
        child_sql, child_arrays = _unnest_insert(dialect, child.__table__, child_rows,
                                                 parent=(model, key))
        steps.append(f"child{number} AS ({child_sql})")
        arrays += child_arrays
    return f"WITH {', '.join(steps)} SELECT {new_ids} FROM parent", tuple(arrays)


def _unnest_insert(dialect, table, rows, parent=None):
    """`INSERT INTO table (...) SELECT ... FROM unnest(...)` for `rows`, and its arrays; with
    `parent` (model, key), a NewId column is joined to the WITH's `parent` for its new id."""
    quote = dialect.identifier_preparer.quote
    columns = [table.c[name] for name in rows[0]] + _defaulted(table, rows[0])
    outputs, joins, casts, arrays = [], [], [], []
    for position, column in enumerate(columns):
        if isinstance(rows[0].get(column.key), NewId):
            model, key = parent
            alias = f"p{position}"
            joins.append(f"JOIN parent {alias} ON {alias}.{quote(key.name)} = x.c{position}")
            outputs.append(f"{alias}.{quote(model.id.name)}")
            casts.append(f"%b::{key.type.compile(dialect=dialect)}[]")
            arrays.append([row[column.key].key for row in rows])
        else:
            outputs.append(f"x.c{position}")
            casts.append(f"%b::{column.type.compile(dialect=dialect)}[]")
            arrays.append(_column_values(column, rows, dialect))
    names = ", ".join(f"c{position}" for position in range(len(columns)))
    sql = (f"INSERT INTO {dialect.identifier_preparer.format_table(table)} "
           f"({', '.join(quote(column.name) for column in columns)}) "
           f"SELECT {', '.join(outputs)} FROM unnest({', '.join(casts)}) AS x({names}) "
           + " ".join(joins))
    return sql, arrays


def _defaulted(table, row):
    """The columns no row sets that have a Python-side default (the INSERT would set them)."""
    return [column for column in table.c if column.key not in row
            and column.default is not None and not column.default.is_sequence]


def _column_values(column, rows, dialect):
    """The column's values, row by row, as the driver takes them."""
    if column.key in rows[0]:
        values = [row[column.key] for row in rows]
    else:
        default = _default(column)
        values = [default() for _ in rows]
    process = column.type._cached_bind_processor(dialect)
    return [process(value) for value in values] if process else values


def _default(column):
    """A function giving the column's Python-side default (None when it has none)."""
    default = column.default
    if default is None:
        return lambda: None
    if default.is_callable:
        return lambda: default.arg(None)
    return lambda: default.arg
