"""The one name rule: is this the same person by name and birthdate? Serves the pull matcher,
the push look-up and the duplicate finder alike (docs/design.md §4).

Graded outcomes:
- AGREE: the same first name (or one the church accepts as the same), the same last name, and
  the same birthdate on both. Only this may link two records without a human.
- NEAR: a variant (a known nickname, a small typo, one surname inside a compound one), or
  agreement where a birthdate is missing. Always goes to a human.
- DIFFERENT: anything else, and always two birthdates that differ (Sr and Jr, a parent and a
  child with the same name).
Names compare case-, accent-, punctuation- and spacing-insensitively. Known English nicknames
come from the `nicknames` dataset; what it lacks (José/Pepe, compound surnames) the church adds
as equivalences of its own (models.NameEquivalence), which count as the same name.
"""
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

from nicknames import NickNamer
from rapidfuzz.distance import OSA
from sqlalchemy import select

from ...extensions import db
from ...models import NameEquivalence
from ...models.keys import name_part
from . import lookups


class NameMatch(StrEnum):
    AGREE = "agree"
    NEAR = "near"
    DIFFERENT = "different"


class Part(StrEnum):
    """How one part (first name, last name, birthdate) of two records compares."""
    SAME = "same"
    VARIANT = "variant"
    UNKNOWN = "unknown"  # a birthdate missing on one side
    DIFFERENT = "different"


@dataclass(frozen=True)
class Names:
    first: str
    last: str
    nickname: str = ""
    birthdate: object = None

    @classmethod
    def of(cls, person):
        """From a Person row or a PCO record (dict)."""
        get = person.get if isinstance(person, dict) else (lambda name: getattr(person, name))
        return cls(get("first_name") or "", get("last_name") or "", get("nickname") or "",
                   get("birthdate"))

    @property
    def firsts(self):
        return {name_key_part(self.first), name_key_part(self.nickname)} - {""}


@dataclass(frozen=True)
class Comparison:
    outcome: NameMatch
    first: Part
    last: Part
    birthdate: Part

    @property
    def reasons(self):
        said = {Part.SAME: "same", Part.VARIANT: "similar", Part.UNKNOWN: "missing",
                Part.DIFFERENT: "different"}
        return [f"{said[self.first]} first name", f"{said[self.last]} last name",
                f"{said[self.birthdate]} birthdate"]


@dataclass
class Equivalences:
    """Names the church accepts as the same: {"first"|"last": {name: {names}}}."""
    pairs: dict = field(default_factory=lambda: {"first": {}, "last": {}})

    def add(self, kind, name, other):
        a, b = name_key_part(name), name_key_part(other)
        self.pairs[kind].setdefault(a, set()).add(b)
        self.pairs[kind].setdefault(b, set()).add(a)

    def same(self, kind, a, b):
        return b in self.pairs[kind].get(a, ())


NO_EQUIVALENCES = Equivalences()


def name_key_part(value):
    """'  García-López ' -> 'garcia lopez'; punctuation counts as a space."""
    cleaned = "".join(ch if ch.isalnum() else " " for ch in name_part(value))
    return " ".join(cleaned.split())


def compare(a, b, equivalences=NO_EQUIVALENCES):
    """How two Names compare (see the module's docstring)."""
    birthdate = compare_birthdates(a.birthdate, b.birthdate)
    first = compare_firsts(a.firsts, b.firsts, equivalences)
    last = compare_lasts(name_key_part(a.last), name_key_part(b.last), equivalences)
    return Comparison(outcome(first, last, birthdate), first, last, birthdate)


def outcome(first, last, birthdate):
    if Part.DIFFERENT in (first, last, birthdate):
        return NameMatch.DIFFERENT
    if first is last is birthdate is Part.SAME:
        return NameMatch.AGREE
    return NameMatch.NEAR


def on_shared_contact(comparison):
    """A shared email or phone vouches for a missing birthdate, never for a variant name:
    spouses, a parent and a child, twins often share one family email."""
    if (comparison.outcome is NameMatch.NEAR and comparison.first is Part.SAME
            and comparison.last is Part.SAME and comparison.birthdate is Part.UNKNOWN):
        return NameMatch.AGREE
    return comparison.outcome


def compare_birthdates(a, b):
    if a is None or b is None:
        return Part.UNKNOWN
    return Part.SAME if a == b else Part.DIFFERENT


def compare_firsts(ours, theirs, equivalences):
    if not ours or not theirs:
        return Part.DIFFERENT
    if ours & theirs or any(equivalences.same("first", a, b) for a in ours for b in theirs):
        return Part.SAME
    if any(nickname_of(a, b) or typo(a, b) for a in ours for b in theirs):
        return Part.VARIANT
    return Part.DIFFERENT


def compare_lasts(a, b, equivalences):
    if not a or not b:
        return Part.DIFFERENT
    if a == b or equivalences.same("last", a, b):
        return Part.SAME
    ours, theirs = set(a.split()), set(b.split())
    if ours <= theirs or theirs <= ours or typo(a, b):
        return Part.VARIANT  # García / García López, or a typo
    return Part.DIFFERENT


def typo(a, b):
    """One edit (a swap of two letters counts as one) in a name of 4+ letters, two in one of
    9+: a typo, not another name."""
    shorter = min(len(a), len(b))
    if shorter < 4:
        return False
    allowed = 2 if shorter >= 9 else 1
    return OSA.distance(a, b, score_cutoff=allowed) <= allowed


def nickname_of(a, b):
    """A known English nickname, or two nicknames of one formal name: Bill/William,
    Sam/Samantha, Bill/Will, or two spellings sharing a nickname (Steven/Stephen; not
    Joan/Josephine, who only share "Jo")."""
    nicknames_a, formal_a = known_names(a)
    nicknames_b, formal_b = known_names(b)
    if b in nicknames_a or b in formal_a or formal_a & formal_b:
        return True
    return a[:3] == b[:3] and bool(nicknames_a & nicknames_b)


@lru_cache(maxsize=20000)
def known_names(name):
    """(nicknames of `name`, formal names it is a nickname of), from the dataset, cached."""
    namer = _namer()
    return frozenset(namer.nicknames_of(name)), frozenset(namer.canonicals_of(name))


@lru_cache(maxsize=1)
def _namer():
    return NickNamer()


def church_equivalences():
    """The equivalences the church added (a few rows): read once per transaction, or per pull
    (rules/lookups)."""
    return lookups.cached("pcosync.name_equivalences", _read_equivalences)


def _read_equivalences():
    found = Equivalences()
    rows = db.session.execute(select(NameEquivalence.kind, NameEquivalence.name,
                                     NameEquivalence.other_name))
    for kind, name, other in rows:
        found.add(kind, name, other)
    return found


def grade(a, b, equivalences=NO_EQUIVALENCES, shared_contact=False):
    """The outcome for two people (Person rows or PCO records); `shared_contact`: they hold
    the same email or phone number (see on_shared_contact)."""
    comparison = compare(Names.of(a), Names.of(b), equivalences)
    return on_shared_contact(comparison) if shared_contact else comparison.outcome
