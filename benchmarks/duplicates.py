"""Duplicate finder benchmark: recall, precision in its top pairs, and seconds.

    .venv/bin/python -m benchmarks.duplicates [--people 50000] [--pairs 500] [--json]

Builds a throw-away SQLite directory of `--people` people (each with an email, a phone, an
address and a birthdate), plants `--pairs` duplicate pairs (same email, same phone, same name +
birthdate, a nickname, a typo in the surname, one address + a similar name) and as many hard
negatives (twins, Sr and Jr at one address, spouses on one email, a parent and a child with
variant names on one email), then times the finder (services/duplicates/finder.find_pairs).
Recall: planted pairs found; precision: planted pairs among the top `--pairs` found.
Targets: recall >= 0.95, precision >= 0.95, under 30 s. `--json`: the last line is one JSON
object (`finder_seconds`, `finder_recall`, `finder_precision`).
"""
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from nicknames import name_triplets  # noqa: E402

from benchmarks.harness import argument_parser, migrated_app, print_figures  # noqa: E402
from pcosync.extensions import db  # noqa: E402
from pcosync.models import Address, Email, Person, PhoneNumber  # noqa: E402
from pcosync.models.keys import name_key  # noqa: E402

SYLLABLES = ("bar", "ton", "mel", "ric", "hal", "ford", "win", "ley", "dor", "vic", "kas",
             "mont", "ber", "gal", "sen", "ash", "por", "quin", "ster", "wood", "lan", "ov")
KINDS = ("email", "phone", "name_birthdate", "nickname", "surname_typo", "address_name")
NEGATIVES = ("twins", "sr_jr", "spouses", "parent_child")


def parse_args():
    parser = argument_parser(__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=50000)
    parser.add_argument("--pairs", type=int, default=500)
    parser.add_argument("--seed", type=int, default=26)
    return parser.parse_args()


class Generator:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        triplets = [t for t in name_triplets() if t.relationship == "has_nickname"]
        self.nicknamed = sorted({(t.name1, t.name2) for t in triplets
                                 if len(t.name2) >= 3 and t.name1[:2] != t.name2[:2]})
        self.firsts = sorted({t.name1 for t in triplets})
        self.rows = []  # (person, email, phone, (street, zip))
        self.planted, self.negatives = [], []

    def last_name(self):
        return "".join(self.rng.choice(SYLLABLES) for _ in range(3)).capitalize()

    def birthdate(self, start=1940, years=70):
        return date(start, 1, 1) + timedelta(days=self.rng.randrange(years * 365))

    def person(self, first=None, last=None, born=..., email=None, phone=None, address=None):
        n = len(self.rows)
        self.rows.append({
            "first": first or self.rng.choice(self.firsts).capitalize(),
            "last": last or self.last_name(),
            "born": self.birthdate() if born is ... else born,
            "email": email or f"p{n}@example.org", "phone": phone or "503%07d" % n,
            "address": address or (f"{n} {self.rng.choice(SYLLABLES).capitalize()} St",
                                   "97%03d" % (n % 1000))})
        return n

    def plant(self, kind):
        rng = self.rng
        a = self.person()
        row = self.rows[a]
        if kind == "email":
            b = self.person(row["first"], row["last"], None, email=row["email"])
        elif kind == "phone":
            b = self.person(row["first"], row["last"], None, phone=row["phone"])
        elif kind == "name_birthdate":
            b = self.person(row["first"], row["last"], row["born"])
        elif kind == "nickname":
            formal, nick = rng.choice(self.nicknamed)
            row["first"] = formal.capitalize()
            b = self.person(nick.capitalize(), row["last"], row["born"])
        elif kind == "surname_typo":
            last = row["last"]
            i = rng.randrange(1, len(last) - 1)
            b = self.person(row["first"], last[:i] + last[i + 1] + last[i] + last[i + 2:],
                            row["born"])
        else:  # one address, a similar first name, no birthdate on the copy
            first = row["first"]
            b = self.person(first[:-1] if len(first) > 4 else first + "e", row["last"], None,
                            address=row["address"])
        self.planted.append((a, b))

    def negative(self, kind):
        a = self.person()
        row = self.rows[a]
        if kind == "twins":
            other = self.rng.choice([f for f in self.firsts if f[:2] != row["first"][:2].lower()])
            b = self.person(other.capitalize(), row["last"], row["born"], address=row["address"])
        elif kind == "sr_jr":
            b = self.person(row["first"], row["last"], row["born"] + timedelta(days=9000),
                            address=row["address"])
        elif kind == "spouses":
            other = self.rng.choice([f for f in self.firsts if f[:2] != row["first"][:2].lower()])
            b = self.person(other.capitalize(), row["last"], self.birthdate(),
                            email=row["email"], address=row["address"])
        else:  # a parent and a child with variant names on one family email
            formal, nick = self.rng.choice(self.nicknamed)
            row["first"] = nick.capitalize()
            b = self.person(formal.capitalize(), row["last"], row["born"] + timedelta(days=10000),
                            email=row["email"], address=row["address"])
        self.negatives.append((a, b))

    def build(self, people, pairs):
        for i in range(pairs):
            self.plant(KINDS[i % len(KINDS)])
            self.negative(NEGATIVES[i % len(NEGATIVES)])
        while len(self.rows) < people:
            self.person()
        order = list(range(len(self.rows)))
        self.rng.shuffle(order)  # planted pairs must not sit next to each other by id
        return order


def insert(rows, order):
    """Rows in `order`; returns {row number: person id}."""
    ids = {}
    for start in range(0, len(order), 5000):
        chunk = order[start:start + 5000]
        db.session.execute(Person.__table__.insert(), [
            {"first_name": rows[n]["first"], "last_name": rows[n]["last"],
             "birthdate": rows[n]["born"], "search_name": name_key(rows[n]["first"],
                                                                   rows[n]["last"]),
             "status": "active", "child": False} for n in chunk])
    for n, person_id in zip(order, db.session.scalars(
            db.select(Person.id).order_by(Person.id))):
        ids[n] = person_id
    contacts(rows, ids)
    db.session.commit()
    return ids


def contacts(rows, ids):
    db.session.execute(Email.__table__.insert(), [
        {"person_id": ids[n], "address": r["email"], "normalized": r["email"],
         "is_primary": True} for n, r in enumerate(rows)])
    db.session.execute(PhoneNumber.__table__.insert(), [
        {"person_id": ids[n], "number": r["phone"], "digits": r["phone"], "is_primary": True}
        for n, r in enumerate(rows)])
    db.session.execute(Address.__table__.insert(), [
        {"person_id": ids[n], "street_line_1": r["address"][0], "zip": r["address"][1],
         "city": "Salem", "is_primary": True} for n, r in enumerate(rows)])


def measure(generator, ids, pairs):
    from pcosync.services.duplicates.finder import find_pairs

    started = time.perf_counter()
    found = find_pairs()
    seconds = time.perf_counter() - started
    planted = {tuple(sorted((ids[a], ids[b]))) for a, b in generator.planted}
    negatives = {tuple(sorted((ids[a], ids[b]))) for a, b in generator.negatives}
    pairs_found = [(f.person_id, f.other_person_id) for f in found]
    top = pairs_found[:pairs]
    return {"finder_seconds": round(seconds, 2),
            "finder_recall": round(len(planted & set(pairs_found)) / len(planted), 4),
            "finder_precision": round(len(planted & set(top)) / max(len(top), 1), 4),
            "finder_pairs_found": len(found),
            "finder_hard_negatives_found": len(negatives & set(pairs_found))}


def main():
    args = parse_args()
    folder = tempfile.mkdtemp(prefix="pcosync-bench-")
    app = migrated_app(folder, "redis://127.0.0.1:6379/15", "http://127.0.0.1:9")
    generator = Generator(args.seed)
    order = generator.build(args.people, args.pairs)
    with app.app_context():
        ids = insert(generator.rows, order)
        print(f"Duplicate finder: {len(order)} people, {args.pairs} planted pairs, "
              f"{args.pairs} hard negatives (SQLite).")
        figures = measure(generator, ids, args.pairs)
    for name, value in figures.items():
        print(f"  {name}: {value}")
    print_figures(args, {"people": len(order), **figures})


if __name__ == "__main__":
    main()
