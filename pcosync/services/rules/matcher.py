"""Find the local person a PCO person is: PCO id, then email, then name + birthdate.

Indexes are built once per page (a few queries for 100 records), never one query per record.
More than one candidate at a step is ambiguous: the caller creates a new linked person and
files a SyncIssue; a guess is never made and a record is never dropped.
"""
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import Email, Person
from ...models.keys import email_key, name_key, name_part


@dataclass
class Match:
    person: Person | None
    how: str  # "pco_id", "email", "name_birthdate" or "new"
    duplicates: list = field(default_factory=list)  # local ids when the match was ambiguous


class PersonMatcher:
    def __init__(self, records):
        self.by_pco_id = {}
        self.by_email = {}
        self.by_name = {}
        self.claimed = set()  # local ids linked during this page
        self._load(records)

    def _load(self, records):
        if not records:
            return  # a page of unchanged people needs no index
        pco_ids = [r["pco_id"] for r in records]
        options = [selectinload(Person.emails), selectinload(Person.phone_numbers),
                   selectinload(Person.addresses)]
        for person in db.session.scalars(select(Person).where(Person.pco_id.in_(pco_ids))
                                         .options(*options)):
            self.by_pco_id[person.pco_id] = person
        emails = {email_key(e["address"]) for r in records for e in r["emails"]} - {""}
        names = {name_key(r["first_name"], r["last_name"]) for r in records} - {""}
        unlinked = (Person.pco_id.is_(None), Person.archived_at.is_(None))
        if emails:
            query = (select(Person, Email.normalized).join(Person.emails)
                     .where(Email.normalized.in_(emails), *unlinked).options(*options))
            for person, key in db.session.execute(query):
                self.by_email.setdefault(key, {})[person.id] = person
        if names:
            query = select(Person).where(Person.search_name.in_(names), *unlinked).options(*options)
            for person in db.session.scalars(query):
                self.by_name.setdefault(person.search_name, []).append(person)

    def match(self, record):
        person = self.by_pco_id.get(record["pco_id"])
        if person is not None:
            return Match(person, "pco_id")
        for how, candidates in (("email", self._email_candidates(record)),
                                ("name_birthdate", self._name_candidates(record))):
            if len(candidates) == 1:
                return self._claim(candidates[0], how, record)
            if len(candidates) > 1:
                return Match(None, "new", sorted(p.id for p in candidates))
        return Match(None, "new")

    def _claim(self, person, how, record):
        self.claimed.add(person.id)
        self.by_pco_id[record["pco_id"]] = person
        return Match(person, how)

    def remember(self, person):
        """A person created for this page (not flushed yet): later records with the same PCO id
        find it. It is in none of the unlinked-candidate indexes, so it needs no claim."""
        self.by_pco_id[person.pco_id] = person

    def _email_candidates(self, record):
        found = {}
        for email in record["emails"]:
            found.update(self.by_email.get(email_key(email["address"]), {}))
        return [p for p in found.values()
                if p.id not in self.claimed and names_agree(p, record)]

    def _name_candidates(self, record):
        if record["birthdate"] is None:
            return []
        key = name_key(record["first_name"], record["last_name"])
        if not key or not name_part(record["last_name"]):
            return []
        return [p for p in self.by_name.get(key, [])
                if p.id not in self.claimed and p.birthdate == record["birthdate"]]


def names_agree(person, record):
    """Spouses share an email: link only when the first name (or nickname) or birthdate agrees."""
    local = {name_part(person.first_name), name_part(person.nickname)} - {""}
    incoming = {name_part(record["first_name"]), name_part(record.get("nickname"))} - {""}
    if local & incoming:
        return True
    return person.birthdate is not None and person.birthdate == record["birthdate"]
