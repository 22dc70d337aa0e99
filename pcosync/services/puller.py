"""Pull from PCO: People, then Families, then Groups. Work is committed page by page, so a
crash loses at most a page and a re-run converges."""
import logging

from ..extensions import db
from ..models import Family, Group, Person
from ..pco import schemas
from .matcher import PersonMatcher
from .merge import CREATED, apply_person
from .pull_common import load_records, people_by_pco_id
from .pull_families import apply_household
from .pull_groups import pull_group
from .tombstones import archive_missing

log = logging.getLogger("pcosync.pull")


def pull_people(client, progress):
    seen = set()
    for page in client.iter_people():
        progress.expect(page.total_count)
        seen.update(str(r.get("id")) for r in page.records if isinstance(r, dict))
        records = load_records(page.records, schemas.load_person, "Person", progress)
        apply_people_page(records, progress)
        progress.checkpoint()
        log.info("people page run_id=%s offset=%s", progress.run.id, page.offset)
    archive_missing(Person, Person.pco_id, seen, progress, "Person")
    progress.checkpoint()


def apply_people_page(records, progress):
    matcher = PersonMatcher(records)
    for record in records:
        match = matcher.match(record)
        outcome, person = apply_person(match.person, record)
        if outcome == CREATED:
            db.session.flush()
            matcher.remember(person)
            if match.duplicates:
                ids = ", ".join(str(i) for i in match.duplicates)
                progress.issue("Person", f"Possible duplicate of local person {ids}: "
                               "review and merge by hand if they are the same person.",
                               pco_id=record["pco_id"], local_id=person.id)
        progress.count(outcome)


def pull_families(client, progress):
    seen = set()
    for page in client.iter_households():
        progress.expect(page.total_count)
        seen.update(str(r.get("id")) for r in page.records if isinstance(r, dict))
        records = load_records(page.records, schemas.load_household, "Household", progress)
        people = people_by_pco_id([i for r in records for i in r["member_pco_ids"]])
        for record in records:
            progress.count(apply_household(record, people, progress))
        progress.checkpoint()
    archive_missing(Family, Family.pco_household_id, seen, progress, "Household")
    progress.checkpoint()


def pull_groups(client, progress):
    seen = set()
    for page in client.iter_groups():
        progress.expect(page.total_count)
        seen.update(str(r.get("id")) for r in page.records if isinstance(r, dict))
        records = load_records(page.records, schemas.load_group, "Group", progress)
        for record in records:
            pull_group(client, record, progress)
            progress.checkpoint()
    archive_missing(Group, Group.pco_group_id, seen, progress, "Group")
    progress.checkpoint()


PULLERS = {"People": pull_people, "Families": pull_families, "Groups": pull_groups}
