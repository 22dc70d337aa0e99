"""Push People: every active local person to PCO, sending only what changed.

`pco_synced_state` is what PCO holds as far as we know. Each write to PCO is followed at once
by a commit of its result (a new PCO id, the agreed state), so a crash or a refused request
leaves every person consistently linked, and a re-run sends exactly what is still missing.
An unchanged person (state hash equal to `pco_synced_hash`) costs no request at all.
"""
import logging
from contextlib import contextmanager

from marshmallow import ValidationError
from sqlalchemy import and_, func, select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import SYNCED_PERSON_FIELDS, Person, utcnow
from ...pco import schemas
from ...pco.errors import PCONotFound, PCOUnavailable
from ..rules.contact_kinds import CONTACT_KINDS
from ..rules.scope import may_send, sendable
from ..rules.merge import CREATED, SKIPPED, UPDATED, merge_contacts
from ..rules.merge import fill_blanks as merge_fill_blanks
from ..rules.state import (
    contact_rows, digest, person_state_from_local, person_state_from_pco, with_contact,
    without_contact,
)
from .custom_field_definitions import push_field_definitions
from .custom_fields import send_custom_fields
from .base import RecordPusher, batches, count_live
from .person_fields import keep_pull_only, patch_changed, people_to_push
from .people_lookup import PersonLookup

log = logging.getLogger("pcosync.push")

BATCH_SIZE = 100
HEADCOUNT_NAMES = 5  # a push preview names the first few people it holds back
CONTACT_OPTIONS = tuple(selectinload(getattr(Person, kind.name)) for kind in CONTACT_KINDS) + (
    selectinload(Person.field_values),)


def push_people(client, progress):
    progress.allow_creates("Person", people_to_create_count())  # before any request
    progress.tell_preview("push_headcount", push_headcount)
    push_field_definitions(client, progress)  # fields made here, so their values can follow
    progress.expect(count_live(Person, people_to_push()))
    pusher = PeoplePusher(client, progress)
    with commits_keep_loaded_rows():
        for batch in batches(Person, BATCH_SIZE, people_to_push(), *CONTACT_OPTIONS):
            for person in batch:
                pusher.push(person)
            progress.checkpoint()
            log.info("push people batch run_id=%s last_id=%s", progress.run.id, batch[-1].id)


def people_to_create_count():
    """How many people a push would add to PCO (those it walks that PCO does not hold yet;
    a few may be linked instead, when the look-up finds them there)."""
    return count_live(Person, and_(people_to_push(), Person.pco_id.is_(None),
                                   Person.archived_at.is_(None)))


def push_headcount():
    """What a push preview says before its changes: {"creates": people_to_create_count(), and
    of the others PCO does not hold, "outside_scope" (held by the push scope) and
    "do_not_send" (marked so), each with "<key>_names": the first few by name}."""
    unlinked = and_(Person.pco_id.is_(None), Person.archived_at.is_(None))
    # not_in, not not_(): a rule on a column left empty (no membership) holds the person too.
    outside = and_(unlinked, Person.do_not_send_at.is_(None),
                   Person.id.not_in(select(Person.id).where(sendable())))
    marked = and_(unlinked, Person.do_not_send_at.is_not(None))
    counts = {"creates": people_to_create_count()}
    for key, condition in (("outside_scope", outside), ("do_not_send", marked)):
        counts[key] = db.session.scalar(select(func.count()).select_from(Person)
                                        .where(condition))
        first = (select(Person).where(condition).limit(HEADCOUNT_NAMES)
                 .order_by(Person.last_name, Person.first_name, Person.id))
        counts[f"{key}_names"] = [person.full_name for person in db.session.scalars(first)]
    return counts


@contextmanager
def commits_keep_loaded_rows():
    """Each write to PCO is committed at once (several per new person); expiring the whole
    batch at every commit would reload it row by row (a third of a push's time). Only this run
    writes these people's PCO columns, so the loaded rows stay true between commits."""
    session = db.session()
    before, session.expire_on_commit = session.expire_on_commit, False
    try:
        yield
    finally:
        session.expire_on_commit = before


class PeoplePusher(RecordPusher):
    def __init__(self, client, progress):
        super().__init__(client, progress)
        self.lookup = PersonLookup(client, progress)

    def push(self, person):
        if not may_send(person):
            self.progress.count(SKIPPED)  # the query already leaves them out: never written
            return
        if digest(person_state_from_local(person)) == person.pco_synced_hash:
            self.progress.count(SKIPPED)
            return
        self.attempt("Person", f"{person.full_name} was not pushed; the "
                     "next push retries what is missing", lambda: self._push_changed(person),
                     pco_id=person.pco_id, local_id=person.id)

    def _push_changed(self, person):
        outcome = UPDATED
        # Linked before this run: PCO may hold contact points an earlier push created.
        was_linked = person.pco_id is not None
        if not was_linked:
            outcome = self._link_or_create(person)
            if person.pco_id is None:
                return outcome  # held back for a human: nothing to send yet
        elif person.pco_synced_state is None:
            # Linked before states were kept: start from what PCO holds now.
            adopt(person, self.client.get_person(person.pco_id))
        send_changes(self.client, person, look_first=was_linked)
        settle(person)
        return outcome

    def _link_or_create(self, person):
        decision = self.lookup.decide(person)
        if decision.held:
            return SKIPPED
        if decision.pco_id is not None:
            adopt(person, self.client.get_person(decision.pco_id))
            return UPDATED
        local = person_state_from_local(person)
        attributes = schemas.dump_person({name: local[name] for name in SYNCED_PERSON_FIELDS})
        try:
            resource = self.client.create_person(attributes)
        except PCOUnavailable:
            landed = self.lookup.landed_anyway(person)
            if landed is None:
                raise
            adopt(person, landed)
            return CREATED
        record = schemas.load_person(resource)
        person.pco_id = record["pco_id"]
        keep_pull_only(person, record)
        agree(person, person_state_from_pco(record), record["pco_updated_at"])
        return CREATED


def adopt(person, resource):
    """Link to a PCO person and take PCO's current state as the agreed one.

    PCO's contact points join the local ones (a local one with the same value is linked to
    it rather than sent again), as a pull would; only local differences are pushed after.
    """
    record = schemas.load_person(resource)
    person.pco_id = record["pco_id"]
    fill_blanks(person, record)  # custom-field values too (rules.merge.fill_blanks)
    for kind in CONTACT_KINDS:
        merge_contacts(person, kind, record[kind.name], remove_missing=record["contacts_included"])
    agree(person, person_state_from_pco(record), record["pco_updated_at"])


def fill_blanks(person, record):
    """Linking must not erase what PCO knows and we do not (see rules.merge.fill_blanks)."""
    merge_fill_blanks(person, record)


def agree(person, state, pco_updated_at=None):
    """Record what PCO now holds, committed at once: a crash must never lose a PCO id."""
    person.pco_synced_state = state
    person.pco_synced_hash = digest(state)
    if pco_updated_at is not None:
        # Our own change's webhook carries this updated_at: it will be skipped as an echo.
        person.pco_updated_at = pco_updated_at
    db.session.commit()


def settle(person):
    person.pco_synced_at = utcnow()
    agree(person, person_state_from_local(person))


def send_changes(client, person, look_first=True):
    """PATCH what differs from the agreed state; create and delete contact points.
    `look_first`: before creating contact points, link those PCO already has."""
    local = person_state_from_local(person)
    send_person_fields(client, person, local)
    for kind in CONTACT_KINDS:
        update_changed_contacts(client, person, local, kind)
        if look_first:
            link_contacts_already_in_pco(client, person, kind)
        create_new_contacts(client, person, kind)
        delete_removed_contacts(client, person, kind)
    send_custom_fields(client, person)


def send_person_fields(client, person, local):
    answer = patch_changed(client, person, local, person.pco_synced_state)
    if answer is not None:
        agree(person, answer.state, answer.pco_updated_at)


def update_changed_contacts(client, person, local, kind):
    stored = contact_rows(person.pco_synced_state, kind.name)
    for pco_id, values in contact_rows(local, kind.name).items():
        if pco_id is None:
            continue
        held = stored.get(pco_id)
        changed = {name: value for name, value in values.items()
                   if held is None or held.get(name) != value}
        if changed:
            patch_contact(client, person, kind, pco_id, changed)


def patch_contact(client, person, kind, pco_id, changed):
    resource = client.update_contact(kind.name, kind.pco_type, pco_id, kind.dump(changed))
    agree(person, with_contact(person.pco_synced_state, kind.name, kind.load(resource)))


def link_contacts_already_in_pco(client, person, kind):
    """A POST whose answer was lost, or whose worker died before the commit, created a contact
    point in PCO that we never linked: link it rather than create it twice. One GET, only for
    a person already in PCO who has new contact points of this kind."""
    pending = [item for item in kind.items(person) if item.pco_id is None]
    if not pending:
        return
    in_pco = _unlinked_in_pco(client, person, kind)
    for contact in pending:
        values = kind.values(contact)
        record = in_pco.pop(kind.match_key(values), None)
        if record is None:
            continue
        contact.pco_id = record["pco_id"]
        contact.pco_updated_at = record["pco_updated_at"]
        agree(person, with_contact(person.pco_synced_state, kind.name, record))
        changed = {name: value for name, value in values.items() if record.get(name) != value}
        if changed:  # the same contact point, told differently here (location, primary)
            patch_contact(client, person, kind, record["pco_id"], changed)


def _unlinked_in_pco(client, person, kind):
    """{match key: record} of the person's contact points in PCO that no local one links."""
    linked = {item.pco_id for item in kind.items(person)}
    found = {}
    for page in client.iter_person_contacts(person.pco_id, kind.name):
        for resource in page.records:
            try:
                record = kind.load(resource)
            except ValidationError:
                continue  # a malformed one is simply not a match
            if record["pco_id"] not in linked:
                found.setdefault(kind.match_key(record), record)
    return found


def create_new_contacts(client, person, kind):
    for contact in [item for item in kind.items(person) if item.pco_id is None]:
        attributes = kind.dump(kind.values(contact))
        record = kind.load(client.create_contact(person.pco_id, kind.name, kind.pco_type,
                                                 attributes))
        contact.pco_id = record["pco_id"]
        contact.pco_updated_at = record["pco_updated_at"]
        agree(person, with_contact(person.pco_synced_state, kind.name, record))


def delete_removed_contacts(client, person, kind):
    """A contact point removed here (PCO still held it) is removed in PCO too."""
    kept = {item.pco_id for item in kind.items(person)}
    for pco_id in contact_rows(person.pco_synced_state, kind.name):
        if pco_id is None or pco_id in kept:
            continue
        try:
            client.delete_contact(kind.name, pco_id)
        except PCONotFound:
            pass  # already gone from PCO: that is what we wanted
        agree(person, without_contact(person.pco_synced_state, kind.name, pco_id))
