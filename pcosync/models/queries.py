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
