"""Query pieces the services share across databases."""
from sqlalchemy import any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY

from ..extensions import db


def one_of(column, values):
    """`column IN (values)`; on PostgreSQL `column = ANY(array)`: one parameter however many
    values, so a page's query has the same text on every page. An IN list is rendered anew on
    each execution (a bound parameter per value) and psycopg parses a query of more than 50
    parameters again each time: about a millisecond a page of 100 people."""
    values = list(values)
    if db.session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, values, type_=ARRAY(column.type)))
    return column.in_(values)


def is_null(column):
    """`column IS NULL`, kept off the column's own index on SQLite (`column || '' IS NULL`,
    which is NULL exactly when the column is): SQLite's planner goes by rules, takes an IS NULL
    on a unique index for one row, and walked every NULL in it before the condition beside it
    (100 names among 50,000 unlinked people: 10 ms a read, 2.5 ms on the names' index).
    PostgreSQL counts its rows and chooses for itself (1.5 ms; 5 ms if kept off)."""
    if db.session.get_bind().dialect.name == "sqlite":
        return column.concat("").is_(None)
    return column.is_(None)
