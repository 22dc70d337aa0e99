"""Sync People: PCO people with their emails, phone numbers and addresses, page by page."""
from collections import Counter

from ...extensions import db
from ...models import Person, ReviewKind
from ...pco import schemas
from ...pco.prefetch import Started, telling
from ..connection import token_user
from ..rules import choices
from .bulk_create import create_people, people_statement
from ..rules.erasures import linked_and_erased, without_erased
from ..rules.matcher import PersonMatcher, emails_of
from ..rules.merge import CREATED, SKIPPED, apply_person, keep_versions, unchanged_pco_ids
from ..rules.review_items import pair_key
from ..rules.versions import sent_as_agreed
from .choices import ensure_known, pull_choice_lists
from .custom_fields import pull_custom_fields
from .listing import pull_listing, still_in_pco
from .page_writer import page_writer
from .scope import people_pages, scoped, settle_scope
from .staged_households import HOUSEHOLDS, KeepingHouseholds


def pull_people(client, progress):
    # Missing from a scoped listing is not gone from PCO: no archiving then (pull/scope.py).
    # Nor when the token cannot see every profile (services/connection/token_user.py).
    whole = not scoped() and token_user.may_archive()
    # A later step of the run (Sync Families) reads the households kept from these pages.
    keep_households = whole and HOUSEHOLDS in progress.wanted_later
    # The first page of people is asked for first: while the choice lists and custom fields
    # are read (eight requests, one after another), the listing is read ahead beside them.
    # Once it is read to the end, the next step of the run may start asking (reads_ahead.py).
    with telling(getattr(progress, "when_read", None)):
        pages = Started(people_pages(client, households=keep_households))
    try:
        pull_choice_lists(client, progress)
        pull_custom_fields(client, progress)
    except BaseException:
        pages.close()
        raise
    if keep_households:
        pages = KeepingHouseholds(pages, progress.parent.id)

    page = PageOfPeople()

    def apply_page(records, progress):
        ensure_known(client, records, progress)
        apply_people_page(records, progress, page)

    tombstone = (Person, Person.pco_id, still_in_pco(client.get_person)) if whole else None
    with page_writer(progress) as page.writer:
        seen = pull_listing(pages, schemas.load_person, "Person", apply_page, progress,
                            tombstone, unloaded=page.unloaded)
    settle_scope(seen)


class PageOfPeople:
    """A page of PCO people as the listing reads it: who they are here (linked, erased) is
    read once, before loading, and those PCO sent as last agreed are left unloaded
    (rules/versions.py); apply_people_page takes the rest. `writer`: the listing's
    page_writer.PageWriter, or None."""

    def __init__(self):
        self.linked, self.sent_as_agreed, self.writer = None, set(), None

    def unloaded(self, resources):
        pco_ids = [resource.get("id") for resource in resources if isinstance(resource, dict)]
        if self.writer is not None and self.writer.lists_any(pco_ids):
            self.writer.wait()  # they are found here once the page before has made them
        self.linked = linked_and_erased(pco_ids)
        self.sent_as_agreed = sent_as_agreed(resources, self.linked[0])
        return [resource for resource in resources if not isinstance(resource, dict)
                or str(resource.get("id")) not in self.sent_as_agreed]

    def take(self, records):
        """(held, erased, how many were left unloaded) of the page read last, its `records`
        loaded. When someone being written holds one of their emails, once they are written:
        the matcher must find them (one email and agreeing names: PCO's twins)."""
        if self.writer is not None and self.writer.holds_any_email(emails_of(records)):
            self.writer.wait()
        taken = (*self.linked, len(self.sent_as_agreed))
        self.linked, self.sent_as_agreed = None, set()
        return taken


def apply_people_page(records, progress, page=None):
    """Apply a page of PCO people; returns the PCO ids of those that differed from what is held
    here (the others are Skipped without a write). An erased person's record is Skipped
    before anything reads it: not matched, not created, not filed for review. `page`: the
    listing's PageOfPeople, which read the page's people here already."""
    if page is None:  # a webhook's person, Quick Sync's pages
        held, erased, skipped = (*linked_and_erased(r["pco_id"] for r in records), 0)
    else:
        held, erased, skipped = page.take(records)
    records = without_erased(records, erased, progress)
    choices.prepare(records)  # the options this page's people hold, before comparing states
    unchanged = unchanged_pco_ids(records, held)
    keep_versions(records, unchanged, held)
    records = [r for r in records if r["pco_id"] not in unchanged]
    matcher = PersonMatcher(records)
    new_people = NewPeople(records, progress, page and page.writer)
    possible_duplicates = []
    for record in records:
        match = matcher.match(record)
        if new_people.take(record, match):
            continue
        outcome, person = apply_person(match.person, record, progress)
        if outcome == CREATED:
            matcher.remember(person)
            if match.duplicates or match.pco_twins:
                possible_duplicates.append((person, match))
        progress.count(outcome)
    # One flush for the page, not one per new person: a unit-of-work pass per person made a
    # first pull much slower (PostgreSQL also batches the INSERTs). The issues need the ids.
    db.session.flush()
    # Counted after the flush: the page's commit then writes the count with the run's heartbeat
    # in one UPDATE (a page of unchanged people costs a statement less).
    progress.count(SKIPPED, len(unchanged) + skipped)
    possible_duplicates += new_people.create(progress)
    for person, match in possible_duplicates:
        file_possible_duplicates(person, match.duplicates, progress)
        file_pco_twins(person, match.pco_twins, progress)
    return [record["pco_id"] for record in records]


class NewPeople:
    """The page's people met for the first time, created together once the page's other
    records are applied (rules/bulk_create: a few INSERTs, not an ORM object each). Not in a
    preview, whose report is read from the ORM's flushes (runs/changes.py), nor for a PCO id
    the page holds twice (the later record must find the person the first one made).
    `writer`: a page_writer.PageWriter that may write them instead."""

    def __init__(self, records, progress, writer=None):
        self.enabled, self.writer = getattr(progress, "bulk_writes", False), writer
        self.repeated = {pco_id for pco_id, n in Counter(r["pco_id"] for r in records).items()
                         if n > 1}
        self.records, self.duplicates = [], {}

    def take(self, record, match):
        """Keep `record` for the bulk create when it is a new person; False: apply it now."""
        if not self.enabled or match.person is not None or record["pco_id"] in self.repeated:
            return False
        self.records.append(record)
        if match.duplicates or match.pco_twins:
            self.duplicates[record["pco_id"]] = match
        return True

    def create(self, progress):
        """Create them; returns [(person, their Match)] for those who may duplicate someone."""
        if self.writer is not None:
            self.writer.count(progress)  # the pages it wrote meanwhile
        if not self.records or self.written_later(progress):
            return []
        ids = create_people(self.records)
        progress.count(CREATED, len(self.records))
        return [(db.session.get(Person, ids[pco_id]), match)
                for pco_id, match in self.duplicates.items()]

    def written_later(self, progress):
        """Hand them to the page writer when it may take them (page_writer.py): none may
        duplicate someone (filing that needs their ids) and the page wrote nothing else."""
        if self.writer is None or self.duplicates or not progress.wrote_nothing():
            return False
        statement = people_statement(self.records)
        if statement is None:
            return False
        self.writer.write(statement, [record["pco_id"] for record in self.records],
                          emails_of(self.records))
        return True


def file_possible_duplicates(person, duplicate_ids, progress):
    """A new person linked to PCO who looks like several local people: a human decides. The
    local ones are held back from PCO meanwhile (pushing them would copy the duplicate)."""
    others = {i: db.session.get(Person, i) for i in duplicate_ids}
    names = ", ".join(other.full_name for other in others.values())
    progress.issue("Person", f"Possible duplicate of {names} (made here): see the review queue.",
                   pco_id=person.pco_id, local_id=person.id)
    for other_id, other in others.items():
        progress.review(
            ReviewKind.DUPLICATE_HERE,
            f"{person.full_name}, pulled from PCO, looks like {other.full_name} (made here): "
            "merge them, or say they are different people.",
            pair_key(person.id, other_id), person_id=person.id, other_person_id=other_id,
            pco_id=person.pco_id)


def file_pco_twins(person, twin_ids, progress):
    """PCO holds this person twice (one email, agreeing names): each PCO person keeps their own
    local person, never both one; a human merges them in PCO, whose merger then reaches here."""
    for other_id in twin_ids:
        other = db.session.get(Person, other_id)
        progress.review(
            ReviewKind.PCO_DUPLICATES,
            f"Possible duplicates in PCO: {person.full_name} (PCO person {person.pco_id}) and "
            f"{other.full_name} (PCO person {other.pco_id}) share an email and their names "
            "agree. Only PCO can merge them: merge them there, or dismiss this.",
            pair_key(person.id, other_id), person_id=person.id, other_person_id=other_id,
            pco_id=person.pco_id, details={"candidates": [other.pco_id, person.pco_id]})
