"""Pull from PCO: People, then Families, then Groups. Work is committed page by page, so a
crash loses at most a page and a re-run converges."""
import logging

from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import Family, Group, Person
from ..pco import schemas
from ..pco.errors import PCONotFound
from .matcher import PersonMatcher
from .merge import CREATED, SKIPPED, apply_person, unchanged_pco_ids
from .pull_common import load_records, people_by_pco_id
from .pull_families import (
    apply_household, families_by_household_id, removed_from_households,
)
from .pull_groups import pull_group
from .tombstones import archive_missing

log = logging.getLogger("pcosync.pull")


def pull_listing(pages, loader, record_type, apply_page, progress, tombstone):
    """Every pull: page by page, load (bad records become issues), apply, commit; then the
    linked records PCO no longer lists are archived. `tombstone`: (model, PCO id column,
    a function telling whether PCO still has an id)."""
    seen = set()
    for page in pages:
        progress.expect(page.total_count)
        seen.update(str(r.get("id")) for r in page.records if isinstance(r, dict))
        apply_page(load_records(page.records, loader, record_type, progress), progress)
        progress.checkpoint()
        log.info("pull page run_id=%s kind=%s offset=%s", progress.run.id, record_type,
                 page.offset)
    model, id_column, exists = tombstone
    archive_missing(model, id_column, seen, progress, record_type, exists)
    progress.checkpoint()


def still_in_pco(fetch):
    """A record missing from a listing may only have moved: with offset paging, each record
    deleted in PCO before the cursor while we read makes the next page skip one live record.
    Only what PCO confirms gone (404) is archived; a wrongly archived record stayed archived,
    since later pulls skip it as unchanged. One request per missing record, only then."""
    def exists(pco_id):
        try:
            fetch(pco_id)
        except PCONotFound:
            return False
        return True
    return exists


def pull_people(client, progress):
    pull_listing(client.iter_people(), schemas.load_person, "Person", apply_people_page,
                 progress, (Person, Person.pco_id, still_in_pco(client.get_person)))


def apply_people_page(records, progress):
    unchanged = unchanged_pco_ids(records)
    progress.count(SKIPPED, len(unchanged))
    records = [r for r in records if r["pco_id"] not in unchanged]
    matcher = PersonMatcher(records)
    possible_duplicates = []
    for record in records:
        match = matcher.match(record)
        outcome, person = apply_person(match.person, record)
        if outcome == CREATED:
            matcher.remember(person)
            if match.duplicates:
                possible_duplicates.append((person, match.duplicates))
        progress.count(outcome)
    # One flush for the page, not one per new person: a unit-of-work pass per person made a
    # first pull much slower (PostgreSQL also batches the INSERTs). The issues need the ids.
    db.session.flush()
    for person, duplicates in possible_duplicates:
        ids = ", ".join(str(i) for i in duplicates)
        progress.issue("Person", f"Possible duplicate of local person {ids}: "
                       "review and merge by hand if they are the same person.",
                       pco_id=person.pco_id, local_id=person.id)


def pull_families(client, progress):
    def apply_page(records, progress):
        people = people_by_pco_id([i for r in records for i in r["member_pco_ids"]],
                                  selectinload(Person.addresses))
        keys = [r["pco_household_id"] for r in records]
        families, removed = families_by_household_id(keys), removed_from_households(keys)
        for record in records:
            key = record["pco_household_id"]
            outcome, families[key] = apply_household(record, families.get(key), people,
                                                     progress, removed.get(key, set()))
            progress.count(outcome)

    pull_listing(client.iter_households(), schemas.load_household, "Household", apply_page,
                 progress, (Family, Family.pco_household_id, still_in_pco(client.get_household)))


def pull_groups(client, progress):
    def apply_page(records, progress):
        for record in records:  # each group costs its own membership requests
            pull_group(client, record, progress)
            progress.checkpoint()

    pull_listing(client.iter_groups(), schemas.load_group, "Group", apply_page, progress,
                 (Group, Group.pco_group_id, still_in_pco(client.get_group)))


PULLERS = {"People": pull_people, "Families": pull_families, "Groups": pull_groups}
