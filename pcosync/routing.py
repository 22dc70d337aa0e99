"""URL converters. `<int:...>` stops at the database's integer: a larger id in a URL is a
page that does not exist (404), not a query the database refuses (500)."""
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # PostgreSQL's INTEGER; SQLite's is larger, so this bounds both


class BoundedIntConverter(IntegerConverter):
    def __init__(self, url_map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def register_converters(app):
    """Before any blueprint: rules pick their converters when they are added."""
    app.url_map.converters["int"] = BoundedIntConverter
