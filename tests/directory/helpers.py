"""Directory test helpers: people, families and groups made through the services."""
import html as html_lib
import re

from pcosync.extensions import db
from pcosync.models import Department, Group
from pcosync.services.directory import families as directory_families
from pcosync.services.directory import groups as directory_groups
from pcosync.services.directory import people as directory_people
from tests import support


def add_person(first_name="Ann", last_name="Lee", email=None, phone=None, **extra):
    data = {"first_name": first_name, "last_name": last_name, "status": "active", **extra}
    return directory_people.create_person(data, email=email, phone=phone)


def add_family(name="Lee family", members=()):
    family = directory_families.create_family(name)
    for person in members:
        directory_families.add_member(family, person.id, "adult")
    return family


def add_group(name="Choir", department="Music", pco_group_id=None):
    group = Group(name=name, department=Department(name=department), pco_group_id=pco_group_id)
    db.session.add(group)
    db.session.commit()
    return group


def one_of_everything():
    """A person with an email and a phone in a family and a group, and a second person: ids for
    every directory route's arguments, so each route points at a real row."""
    ann = add_person("Ann", "Lee", email="ann@example.org", phone="503-555-0101")
    bob = add_person("Bob", "Lee")
    family = add_family("Lee family", [ann])
    group = add_group("Choir")
    directory_groups.add_membership(group, ann.id, "member")
    ids = {"person_id": ann.id, "family_id": family.id, "group_id": group.id,
           "contact_id": ann.emails[0].id, "kind": "emails",
           "member_id": family.members[0].id, "membership_id": group.memberships[0].id}
    return ids, bob


def fresh(model, row_id):
    """The row as the database has it now (not the session's cached copy)."""
    db.session.expire_all()
    return db.session.get(model, row_id)


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
