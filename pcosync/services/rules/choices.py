"""The choices a person holds from PCO's lists (marital status, inactive reason, name prefix and
suffix, school) and their campus: how they are kept, read and compared. No HTTP here.

A person holds a choice's value (and a campus by its row); the synced state holds the choice's
PCO id, so "changed since the last sync" is comparing ids, and two options that read alike
stay apart. The lists are mirrored locally (models/profile.py) and held in memory per
transaction (`index()`): a church has tens of options, and the push compares every person.

A value PCO does not have yet (typed here, or set by a script) is `NEW + value` in the local
state: the push creates it in PCO, then names it by id.
"""
from sqlalchemy import (
    Integer, String, and_, cast, delete, literal, null, or_, select, union_all, update,
)
from sqlalchemy.exc import IntegrityError

from ...extensions import db
from ...models import CHOICE_KINDS, PERSON_CHOICE_KINDS, Campus, Person, ProfileChoice
from . import lookups

CAMPUS = "campus_id"
RELATION_FIELDS = PERSON_CHOICE_KINDS + (CAMPUS,)
NEW = "new:"
_CACHE_KEY = "pcosync.choice_index"


class ChoiceIndex:
    """Every option and campus, both ways: {kind: {pco_id: value}} and {kind: {value: pco_id}}
    (the first of equal values); campuses by local id and by PCO id."""

    def __init__(self, choices=(), campuses=()):
        self.values = {kind: {} for kind in CHOICE_KINDS}
        self.ids = {kind: {} for kind in CHOICE_KINDS}
        self.campus_pco, self.campus_local, self.campus_names = {}, {}, {}
        for kind, pco_id, value in choices:
            self.add_choice(kind, pco_id, value)
        for local_id, pco_id, name in campuses:
            self.add_campus(local_id, pco_id, name)

    @classmethod
    def load(cls):
        """Both lists in one query (a round trip each cost a webhook chunk one more)."""
        rows = db.session.execute(union_all(
            select(ProfileChoice.kind, ProfileChoice.pco_id, ProfileChoice.value,
                   cast(null(), Integer).label("campus_id")),
            select(literal(CAMPUS, String), Campus.pco_campus_id, Campus.name, Campus.id),
        )).all()
        return cls([(kind, pco_id, value) for kind, pco_id, value, campus_id in rows
                    if campus_id is None],
                   [(campus_id, pco_id, name) for _, pco_id, name, campus_id in rows
                    if campus_id is not None])

    def add_choice(self, kind, pco_id, value):
        if pco_id is not None:
            self.values[kind][pco_id] = value
            self.ids[kind].setdefault(value, pco_id)

    def add_campus(self, local_id, pco_id, name):
        self.campus_pco[local_id], self.campus_names[local_id] = pco_id, name
        if pco_id is not None:
            self.campus_local[pco_id] = local_id

    def value_of(self, field, pco_id):
        """A choice's value, or the local id of a campus, for a PCO id; None when unknown."""
        if field == CAMPUS:
            return self.campus_local.get(pco_id)
        return self.values[field].get(pco_id)

    def state_id(self, field, person, stored):
        """What the person's choice is in the synced state: its PCO id, NEW + value when PCO
        does not have it, None when unset. `stored`'s id is kept while it still reads alike."""
        if field == CAMPUS:
            return self._campus_state_id(person.campus_id)
        value = getattr(person, field)
        if value is None:
            return None
        held = (stored or {}).get(field)
        if held is not None and self.values[field].get(held) == value:
            return held
        return self.ids[field].get(value) or NEW + value

    def _campus_state_id(self, campus_id):
        if campus_id is None:
            return None
        return self.campus_pco.get(campus_id) or f"{NEW}campus {campus_id}"


def index():
    """This transaction's ChoiceIndex (built from two queries, then kept in step by learn), or
    the pull's (rules/lookups)."""
    return lookups.cached(_CACHE_KEY, ChoiceIndex.load)


# -- the synced state -------------------------------------------------------------------------

def state_from_pco(record, stored=None):
    """{field: PCO id or None} from a loaded person; a choice the body did not carry keeps the
    stored id (PCO said nothing about it)."""
    carried = record.get("choices") or {}
    state = {}
    for field in RELATION_FIELDS:
        if field in carried:
            state[field] = carried[field]["pco_id"] if carried[field] else None
        else:
            state[field] = (stored or {}).get(field)
    return state


def state_from_local(person):
    found, stored = index(), person.pco_synced_state
    return {field: found.state_id(field, person, stored) for field in RELATION_FIELDS}


# -- applying PCO's choices -------------------------------------------------------------------

def prepare(records):
    """Learn the options a page's people carry (included resources), and give a value to each
    choice only referenced by id. One still unknown here is left out (not said): the next Sync
    People reads the lists first and sets it."""
    found = index()
    for record in records:
        carried = record.get("choices") or {}
        for field, choice in list(carried.items()):
            if choice is None:
                continue
            if choice["value"] is not None:
                learn(field, choice["pco_id"], choice["value"])
            elif found.value_of(field, choice["pco_id"]) is None:
                del carried[field]
            elif field != CAMPUS:
                choice["value"] = found.value_of(field, choice["pco_id"])


def unknown_ids(records):
    """(field, PCO id) of the choices referenced without a value and unknown here."""
    found = index()
    return {(field, choice["pco_id"]) for record in records
            for field, choice in (record.get("choices") or {}).items()
            if choice is not None and choice["value"] is None
            and found.value_of(field, choice["pco_id"]) is None}


def write(person, record):
    """Set the person's choices to those the record carries (prepared: see prepare)."""
    found = index()
    for field, choice in (record.get("choices") or {}).items():
        if field == CAMPUS:
            value = found.value_of(CAMPUS, choice["pco_id"]) if choice else None
        else:
            value = choice["value"] if choice else None
        if getattr(person, field) != value:
            setattr(person, field, value)


def fill_blanks(person, record):
    """Linking to a PCO person must not erase the choices PCO holds and we do not."""
    prepare([record])
    for field, choice in (record.get("choices") or {}).items():
        if choice is not None and getattr(person, field) is None:
            write(person, {"choices": {field: choice}})


# -- the local lists --------------------------------------------------------------------------

def learn(kind, pco_id, value):
    """Keep PCO's option (a campus's name for CAMPUS): add it, or rename the one held. A rename
    is carried to the people holding the old value. Returns the row."""
    if _same(kind, pco_id, value):
        return None
    return _learn_campus(pco_id, value) if kind == CAMPUS else _learn_choice(kind, pco_id, value)


def learn_all(kind, options):
    """learn() for many options of one list ({PCO id: value}): those PCO added since go in
    together (a church's first Sync People or Sync Groups meets a whole list at once), the rest
    one by one as learn() does. Campuses are learnt one by one: people point at their rows."""
    fresh = {pco_id: value for pco_id, value in options.items() if not _same(kind, pco_id, value)}
    if kind == CAMPUS:
        for pco_id, value in fresh.items():
            learn(kind, pco_id, value)
        return
    if not fresh:
        return
    held = db.session.execute(select(ProfileChoice.pco_id, ProfileChoice.value).where(
        ProfileChoice.kind == kind,
        or_(ProfileChoice.pco_id.in_(list(fresh)),
            and_(ProfileChoice.pco_id.is_(None), ProfileChoice.value.in_(set(fresh.values())))),
    )).all()
    taken = {pco_id for pco_id, _ in held} | {value for pco_id, value in held if pco_id is None}
    new = {pco_id: value for pco_id, value in fresh.items()
           if pco_id not in taken and value not in taken}
    if new and _add_all(kind, new):
        found = index()
        for pco_id, value in new.items():
            found.add_choice(kind, pco_id, value)
        fresh = {pco_id: value for pco_id, value in fresh.items() if pco_id not in new}
    for pco_id, value in fresh.items():
        learn(kind, pco_id, value)


def _add_all(kind, new):
    """Insert the options in one savepoint; False when one was added meanwhile elsewhere (the
    unique PCO id refused it: learn() then takes each one's row)."""
    try:
        with db.session.begin_nested():
            db.session.add_all(ProfileChoice(kind=kind, pco_id=pco_id, value=value)
                               for pco_id, value in new.items())
            db.session.flush()
    except IntegrityError:
        lookups.forget(_CACHE_KEY)
        return False
    return True


def _same(kind, pco_id, value):
    found = index()
    if kind == CAMPUS:
        return found.campus_names.get(found.campus_local.get(pco_id)) == value
    return found.values[kind].get(pco_id) == value


def _learn_choice(kind, pco_id, value):
    def held():
        return db.session.scalar(select(ProfileChoice).where(ProfileChoice.kind == kind,
                                                             ProfileChoice.pco_id == pco_id))

    row = held() or db.session.scalar(select(ProfileChoice).where(
        ProfileChoice.kind == kind, ProfileChoice.pco_id.is_(None),
        ProfileChoice.value == value).limit(1))
    if row is None:
        row = _add_once(ProfileChoice(kind=kind, pco_id=pco_id, value=value), held)
    if row.value != value:
        _rename(kind, row.value, value, pco_id)
    row.pco_id, row.value = pco_id, value
    found = index()
    found.values[kind][pco_id] = value
    found.ids[kind] = {v: i for i, v in reversed(list(found.values[kind].items()))}
    return row


def _rename(kind, old, new, pco_id):
    """People holding the old value of this option now hold the new one (unless another option
    still reads like the old one)."""
    others = [i for i, v in index().values[kind].items() if v == old and i != pco_id]
    if kind in PERSON_CHOICE_KINDS and not others:
        db.session.execute(update(Person).where(getattr(Person, kind) == old)
                           .values({kind: new}).execution_options(synchronize_session="fetch"))


def _learn_campus(pco_id, name):
    def held():
        return db.session.scalar(select(Campus).where(Campus.pco_campus_id == pco_id))

    row = held() or db.session.scalar(select(Campus).where(
        Campus.pco_campus_id.is_(None), Campus.name == name).limit(1))
    if row is None:
        row = _add_once(Campus(name=name, pco_campus_id=pco_id), held)
    row.pco_campus_id, row.name = pco_id, name
    db.session.flush()  # people refer to it by id
    index().add_campus(row.id, pco_id, name)
    return row


def _add_once(row, held):
    """Insert in a savepoint: a webhook and a pull may learn the same option at the same moment;
    the unique PCO id refuses one, which then takes the other's row."""
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        lookups.forget(_CACHE_KEY)
        found = held()
        if found is None:
            raise
        return found
    return row


def forget_missing(kind, listed_pco_ids):
    """Options PCO no longer lists are dropped (people keep their value as text). Campuses stay:
    people point at them."""
    if kind == CAMPUS:
        return 0
    gone = delete(ProfileChoice).where(ProfileChoice.kind == kind,
                                       ProfileChoice.pco_id.is_not(None),
                                       ProfileChoice.pco_id.not_in(list(listed_pco_ids) or [""]))
    removed = db.session.execute(gone).rowcount
    if removed:
        lookups.forget(_CACHE_KEY)
    return removed


def link(kind, pco_id, value, campus=None):
    """A local option (or campus) PCO now has under `pco_id` (the push created or found it)."""
    if kind == CAMPUS:
        campus.pco_campus_id = pco_id
        db.session.flush()
        index().add_campus(campus.id, pco_id, campus.name)
        return campus
    return _learn_choice(kind, pco_id, value)
