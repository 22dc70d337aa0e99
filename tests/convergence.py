"""Canonical views of the sandbox's data and of the local data, to compare after a sync."""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from pcosync.extensions import db
from pcosync.models import Family, Group, Person

PERSON_FIELDS = ("first_name", "middle_name", "last_name", "nickname", "gender", "status",
                 "membership", "child")


def _rows(items, fields):
    return sorted(tuple(item[f] for f in fields) for item in items)


def sandbox_view(dump):
    people = {}
    for p in dump["people"]:
        people[p["id"]] = (
            tuple(p.get(f) for f in PERSON_FIELDS) + (p.get("birthdate"),),
            _rows(p["emails"], ("id", "address", "location", "primary")),
            _rows(p["phone_numbers"], ("id", "number", "location", "primary")),
            _rows(p["addresses"], ("id", "street_line_1", "city", "zip", "primary")))
    households = {h["id"]: (h["name"], h["primary_contact_id"],
                            sorted(m["person_id"] for m in h["members"]))
                  for h in dump["households"]}
    groups = {g["id"]: (g["name"], sorted((m["id"], m["person_id"], m["role"])
                                          for m in g["memberships"]))
              for g in dump["groups"] if not g.get("archived_at")}
    return {"people": people, "households": households, "groups": groups}


def _contact_rows(items, fields):
    return sorted(tuple(getattr(item, f) for f in fields) for item in items)


def local_view():
    people = {}
    query = select(Person).where(Person.pco_id.is_not(None), Person.archived_at.is_(None)).options(
        selectinload(Person.emails), selectinload(Person.phone_numbers),
        selectinload(Person.addresses))
    for p in db.session.scalars(query):
        birthdate = p.birthdate.isoformat() if p.birthdate else None
        people[p.pco_id] = (
            tuple(getattr(p, f) for f in PERSON_FIELDS) + (birthdate,),
            _contact_rows(p.emails, ("pco_id", "address", "location", "is_primary")),
            _contact_rows(p.phone_numbers, ("pco_id", "number", "location", "is_primary")),
            _contact_rows(p.addresses, ("pco_id", "street_line_1", "city", "zip", "is_primary")))
    return {"people": people, "households": _local_households(), "groups": _local_groups()}


def _local_households():
    query = select(Family).where(Family.pco_household_id.is_not(None),
                                 Family.archived_at.is_(None))
    return {f.pco_household_id: (
        f.name, f.primary_member.pco_id if f.primary_member else None,
        sorted(m.person.pco_id for m in f.members if m.person.pco_id))
        for f in db.session.scalars(query)}


def _local_groups():
    query = select(Group).where(Group.pco_group_id.is_not(None), Group.archived_at.is_(None))
    return {g.pco_group_id: (g.name, sorted(
        (m.pco_membership_id, m.person.pco_id, m.role) for m in g.memberships))
        for g in db.session.scalars(query)}


def assert_converged(dump):
    expected, actual = sandbox_view(dump), local_view()
    for part in ("people", "households", "groups"):
        missing = set(expected[part]) - set(actual[part])
        extra = set(actual[part]) - set(expected[part])
        assert not missing and not extra, f"{part}: missing {sorted(missing)[:5]} " \
                                          f"extra {sorted(extra)[:5]}"
        wrong = [k for k in expected[part] if expected[part][k] != actual[part][k]]
        assert not wrong, f"{part} differ, e.g. {wrong[0]}: {expected[part][wrong[0]]} != " \
                          f"{actual[part][wrong[0]]}"
