"""The duplicate finder: likely pairs of local people, strongest first, with why.

Not all pairs: people are put in blocks that share a key (a normalized email, a phone's
digits, last name + birthdate, a first name or its formal name + birthdate, an address + the
start of the last name), and only people in one block are compared, by the one name rule
(rules/names). Two birthdates that differ, or first names that differ, are never a pair: Sr
and Jr at one address, twins, spouses and a parent and a child on one family email.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from sqlalchemy import select

from ...extensions import db
from ...models import Address, DistinctPeople, Email, Person, PhoneNumber
from ..rules.names import (
    Names, Part, church_equivalences, compare, known_names, name_key_part,
)

MAX_BLOCK = 12  # a key more people share (an office email, a church's address) says nothing
MIN_SCORE = 50
TOLD_EVERY = 5000  # pairs compared between two progress reports
NAME_POINTS = {Part.SAME: 30, Part.VARIANT: 15, Part.UNKNOWN: 0}
SHARED_POINTS = {"email": 25, "phone": 20, "address": 10}
SHARED_REASONS = {"email": "same email", "phone": "same phone number",
                  "address": "same address"}


@dataclass
class Found:
    person_id: int
    other_person_id: int
    score: int
    reasons: list


@dataclass
class Directory:
    """What the finder needs of each person, read in a few queries."""
    names: dict = field(default_factory=dict)  # id -> Names
    keys: dict = field(default_factory=lambda: defaultdict(set))  # id -> {(kind, key)}


def silent(stage, done=0, total=0):
    """The default progress: nobody is told."""


def find_pairs(equivalences=None, progress=silent):
    """[Found], strongest first. `progress(stage, done, total)` hears how far it is (the job
    shows it on the finder's page)."""
    progress("Reading the directory")
    directory = read_directory()
    equivalences = equivalences if equivalences is not None else church_equivalences()
    blocks = defaultdict(list)
    for person_id, keys in directory.keys.items():
        for key in keys:
            blocks[key].append(person_id)
    shared = defaultdict(set)  # (low id, high id) -> kinds of contact they share
    for (kind, _), members in blocks.items():
        if 1 < len(members) <= MAX_BLOCK:
            for pair in combinations(sorted(members), 2):
                shared[pair].add(kind)
    found = []
    for done, (pair, kinds) in enumerate(shared.items()):
        if done % TOLD_EVERY == 0:
            progress("Comparing possible pairs", done, len(shared))
        found.append(score_pair(pair, kinds, directory, equivalences))
    found = [f for f in found if f is not None]
    progress("Comparing possible pairs", len(shared), len(shared))
    return sorted(found, key=lambda f: (-f.score, f.person_id, f.other_person_id))


def score_pair(pair, kinds, directory, equivalences):
    a, b = (directory.names[i] for i in pair)
    comparison = compare(a, b, equivalences)
    if Part.DIFFERENT in (comparison.first, comparison.birthdate):
        return None
    contacts = [kind for kind in SHARED_POINTS if kind in kinds]
    if comparison.last is Part.DIFFERENT and not (
            comparison.first is comparison.birthdate is Part.SAME
            and {"email", "phone"} & set(contacts)):
        return None  # another last name: only a name changed by marriage is a pair
    score = sum(NAME_POINTS.get(part, 0) for part in
                (comparison.first, comparison.last, comparison.birthdate))
    score += sum(SHARED_POINTS[kind] for kind in contacts)
    if score < MIN_SCORE:
        return None
    reasons = [SHARED_REASONS[kind] for kind in contacts] + comparison.reasons
    return Found(pair[0], pair[1], min(score, 100), reasons)


def read_directory():
    directory = Directory()
    people = db.session.execute(select(
        Person.id, Person.first_name, Person.last_name, Person.nickname, Person.birthdate)
        .where(Person.archived_at.is_(None)))
    for person_id, first, last, nickname, birthdate in people:
        names = Names(first or "", last or "", nickname or "", birthdate)
        directory.names[person_id] = names
        directory.keys[person_id].update(name_keys(names))
    live = set(directory.names)
    for kind, query in contact_queries():
        for person_id, value in db.session.execute(query):
            if person_id in live and value:
                # The last 10 digits: one number typed with and without its country code.
                directory.keys[person_id].add((kind, value[-10:] if kind == "phone" else value))
    for person_id, street, zip_code in db.session.execute(select(
            Address.person_id, Address.street_line_1, Address.zip)
            .where(Address.person_id.is_not(None))):
        if person_id in live and street:
            last = name_key_part(directory.names[person_id].last)[:3]
            key = f"{name_key_part(street)}|{(zip_code or '').strip()[:5]}|{last}"
            directory.keys[person_id].add(("address", key))
    return directory


def contact_queries():
    return (("email", select(Email.person_id, Email.normalized)),
            ("phone", select(PhoneNumber.person_id, PhoneNumber.digits)))


def name_keys(names):
    """Last name + birthdate, and each first name (with the formal names it is a nickname
    of) + birthdate: a nickname or a typo in one part still shares a block."""
    if names.birthdate is None:
        return set()
    born = names.birthdate.isoformat()
    keys = {("name", f"{name_key_part(names.last)}|{born}")}
    for first in names.firsts:
        keys.add(("first", f"{first}|{born}"))
        keys.update(("first", f"{formal}|{born}") for formal in known_names(first)[1])
    return keys


def distinct_pairs():
    """The pairs an admin said are different people: never listed again."""
    rows = db.session.execute(select(DistinctPeople.person_id, DistinctPeople.other_person_id)
                              .where(DistinctPeople.other_person_id.is_not(None)))
    return {tuple(sorted(row)) for row in rows}
