"""Many new rows of one table in one statement.

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
"""
from sqlalchemy import insert

from ...extensions import db


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
    dialect, preparer = connection.dialect, connection.dialect.identifier_preparer
    columns = [table.c[name] for name in rows[0]] + _defaulted(table, rows[0])
    arrays = tuple(_column_values(column, rows, dialect) for column in columns)
    casts = ", ".join(f"%b::{column.type.compile(dialect=dialect)}[]" for column in columns)
    sql = (f"INSERT INTO {preparer.format_table(table)} "
           f"({', '.join(preparer.quote(column.name) for column in columns)}) "
           f"SELECT * FROM unnest({casts})")
    if returning:
        sql += " RETURNING " + ", ".join(preparer.quote(column.name) for column in returning)
        return connection.exec_driver_sql(sql, arrays).all()
    connection.exec_driver_sql(sql, arrays)
    return []


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
