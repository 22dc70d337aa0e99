"""Find the local person a PCO person is: PCO id, then email, then name + birthdate, with the
one name rule (rules/names): only *agree* links; a *near* one is created and asked about.

Indexes are built once per page (a few queries for 100 records), never one query per record.
More than one candidate at a step is ambiguous: the caller creates a new linked person and
files a SyncIssue; a guess is never made and a record is never dropped.
"""
from dataclasses import dataclass, field

from sqlalchemy import select, union_all
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import Email, Person
from ...models.keys import email_key, name_key, name_part
from ...models.queries import is_null, one_of
from .names import NameMatch, church_equivalences, grade


def _candidates(pco_ids, emails, names):
    """Local people a page's records may be: linked to one of `pco_ids` (archived too), or
    not archived and holding one of `emails`, or unlinked, not archived and named one of
    `names`; with their contact points.

    Each way is a select of ids on its own index, and the people are read by id: written as one
    WHERE with OR, the email branch's subquery made PostgreSQL scan every person for every page
    (a first pull slowed with every page it wrote)."""
    live = Person.archived_at.is_(None)
    ids = [select(Person.id).where(one_of(Person.pco_id, pco_ids))]
    if emails:
        ids.append(select(Email.person_id).join(Person, Person.id == Email.person_id)
                   .where(live, one_of(Email.normalized, emails)))
    if names:
        # by their names' index: a church that starts here, then connects PCO, has thousands of
        # people not linked yet
        ids.append(select(Person.id).where(live, is_null(Person.pco_id),
                                           one_of(Person.search_name, names)))
    return select(Person).where(Person.id.in_(union_all(*ids))).options(
        selectinload(Person.emails), selectinload(Person.phone_numbers),
        selectinload(Person.addresses))


@dataclass
class Match:
    person: Person | None
    how: str  # "pco_id", "email", "name_birthdate" or "new"
    duplicates: list = field(default_factory=list)  # local ids when the match was ambiguous
    # Local people linked to *other* PCO people this one agrees with on a shared email: PCO
    # holds the same person twice, and only PCO can merge them.
    pco_twins: list = field(default_factory=list)


def emails_of(records):
    """The emails the matcher looks people up by, for `records`."""
    return {email_key(e["address"]) for r in records for e in r["emails"]} - {""}


class PersonMatcher:
    def __init__(self, records):
        self.by_pco_id = {}
        self.by_email = {}
        self.by_name = {}
        self.claimed = set()  # local ids linked during this page
        self.equivalences = None
        self._load(records)

    def _load(self, records):
        """One query for the page's candidates (by PCO id, by email, by name), sorted here:
        across a network each statement is a round trip."""
        if not records:
            return  # a page of unchanged people needs no index
        pco_ids = {r["pco_id"] for r in records}
        emails = emails_of(records)
        names = {name_key(r["first_name"], r["last_name"]) for r in records} - {""}
        self.equivalences = church_equivalences()
        for person in db.session.scalars(_candidates(pco_ids, emails, names)):
            self._sort(person, pco_ids, emails, names)

    def _sort(self, person, pco_ids, emails, names):
        if person.pco_id in pco_ids:
            self.by_pco_id[person.pco_id] = person
        if person.archived_at is not None:
            return
        # Linked people too: one PCO twin of theirs must not become a silent second copy.
        for key in {email.normalized for email in person.emails} & emails:
            self.by_email.setdefault(key, {})[person.id] = person
        if person.pco_id is None and person.search_name in names:
            self.by_name.setdefault(person.search_name, []).append(person)

    def match(self, record):
        person = self.by_pco_id.get(record["pco_id"])
        if person is not None:
            return Match(person, "pco_id")
        graded = self._graded_by_email(record)
        free = [(p, how) for p, how in graded if not self._linked(p)]
        twins = sorted(p.id for p, how in graded if self._linked(p) and how is NameMatch.AGREE)
        for how, candidates in (("email", [p for p, g in free if g is NameMatch.AGREE]),
                                ("name_birthdate", self._name_candidates(record))):
            if len(candidates) == 1:
                return self._claim(candidates[0], how, record)
            if len(candidates) > 1:
                return Match(None, "new", sorted(p.id for p in candidates), twins)
        near = sorted(p.id for p, how in free if how is NameMatch.NEAR)
        return Match(None, "new", near, twins)

    def _linked(self, person):
        return person.pco_id is not None or person.id in self.claimed

    def _claim(self, person, how, record):
        self.claimed.add(person.id)
        self.by_pco_id[record["pco_id"]] = person
        return Match(person, how)

    def remember(self, person):
        """A person created for this page (not flushed yet): later records with the same PCO id
        find it. It is in none of the unlinked-candidate indexes, so it needs no claim."""
        self.by_pco_id[person.pco_id] = person

    def _graded_by_email(self, record):
        """[(person, outcome)] for the people holding one of the record's emails, minus those
        the name rule says are someone else (spouses, a parent and a child share emails)."""
        found = {}
        for email in record["emails"]:
            found.update(self.by_email.get(email_key(email["address"]), {}))
        graded = [(p, grade(p, record, self.equivalences, shared_contact=True))
                  for p in found.values()]
        return [(p, how) for p, how in graded if how is not NameMatch.DIFFERENT]

    def _name_candidates(self, record):
        if record["birthdate"] is None:
            return []
        key = name_key(record["first_name"], record["last_name"])
        if not key or not name_part(record["last_name"]):
            return []
        return [p for p in self.by_name.get(key, [])
                if p.id not in self.claimed and p.birthdate == record["birthdate"]]
