"""Directory test helpers: forms posted as a browser would, what a page shows, what it costs.
(People, families and groups are built by tests/factories.py.)"""
import html as html_lib
import re

from pcosync.extensions import db
from tests import support


def token(client, path="/directory/people/"):
    return support.csrf_token(client, path)


def post(client, path, data=None, page="/directory/people/"):
    """A form POST carrying a valid CSRF token, as the browser would send it."""
    return client.post(path, data={"csrf_token": token(client, page), **(data or {})})


def text_of(response):
    """The page's text without tags, whitespace collapsed: for "the user sees X" checks."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return html_lib.unescape(" ".join(re.sub(r"<[^>]+>", " ", html).split()))


def person_names(response):
    """Names in the people list, in the order shown."""
    html = response.get_data(as_text=True)
    return re.findall(r'<a href="/directory/people/\d+">([^<]+)</a>', html)


def count_statements(action):
    """How many SQL statements `action()` runs: a page must not cost one query per row.

    Requests share the test's app context and so its session: start from an empty one, or
    rows cached by earlier requests would hide the queries (Flask-Login's cached user too)."""
    from flask import g
    from sqlalchemy import event

    db.session.remove()
    g.pop("_login_user", None)
    seen = []

    def record(*_args):
        seen.append(1)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        action()
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return len(seen)
