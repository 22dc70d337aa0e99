"""Sync People: PCO people with their emails, phone numbers and addresses, page by page."""
from ...extensions import db
from ...models import Person
from ...pco import schemas
from ..rules.matcher import PersonMatcher
from ..rules.merge import CREATED, SKIPPED, apply_person, unchanged_pco_ids
from .listing import pull_listing, still_in_pco


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
