"""Before a local person is created in PCO: is this person already there? Never create a
duplicate on either side.

By email (primary first; names must agree, as spouses share emails):
- one PCO person that no one here is linked to: link to them instead of creating;
- a PCO person already linked to another local person: this person is a *local* duplicate of
  that one. Nothing is sent; a review item asks a human (merge, or different people);
- several unlinked PCO people: a review item asks which one (or none); nothing is created.
A person with an open possible-duplicate item is held back without a request. What an admin
decided ("different people") is remembered and never asked again.
"""
from dataclasses import dataclass
from typing import Optional

from marshmallow import ValidationError
from sqlalchemy import select

from ...extensions import db
from ...models import Person, ReviewKind
from ...models.keys import email_key, name_key
from ...pco import schemas
from ..rules import review_items
from ..rules.matcher import names_agree


@dataclass
class Lookup:
    pco_id: Optional[str] = None  # link to this PCO person rather than create one
    held: bool = False  # a human decides first; the review queue says why


class PersonLookup:
    def __init__(self, client, progress):
        self.client = client
        self.progress = progress

    def decide(self, person):
        if review_items.is_held(person.id):
            return Lookup(held=True)
        primary_first = sorted(person.emails, key=lambda email: not email.is_primary)
        for key in dict.fromkeys(email_key(email.address) for email in primary_first):
            decision = self._by_email(person, key) if key else None
            if decision is not None:
                return decision
        return Lookup()

    def _by_email(self, person, key):
        matches = self._matches(person, key)
        owners = local_owners([record["pco_id"] for record in matches])
        not_them = review_items.distinct_from_people(person.id)
        taken = [(record, owners[record["pco_id"]]) for record in matches
                 if owners.get(record["pco_id"]) not in (None, person.id, *not_them)]
        free = [record["pco_id"] for record in matches if record["pco_id"] not in owners]
        if taken:
            for record, owner in taken:
                self._local_duplicate(person, owner, record["pco_id"])
            return Lookup(held=True)
        if len(free) > 1:
            self._several_in_pco(person, free)
            return Lookup(held=True)
        return Lookup(pco_id=free[0]) if free else None

    def _matches(self, person, key):
        """PCO people holding this email whose names agree, minus those an admin said this
        person is not."""
        not_them = review_items.distinct_from_pco(person.id)
        found = {}
        for record in self.search(key):
            emails = {email_key(email["address"]) for email in record["emails"]}
            if (key in emails and record["pco_id"] not in not_them
                    and names_agree(person, record)):
                found.setdefault(record["pco_id"], record)
        return list(found.values())

    def _local_duplicate(self, person, owner_id, pco_id):
        owner = db.session.get(Person, owner_id)
        self.progress.review(
            ReviewKind.DUPLICATE_HERE,
            f"{person.full_name} (local id {person.id}) looks like {owner.full_name} (local id "
            f"{owner.id}): both match PCO person {pco_id}. Not created in PCO: merge them, or "
            "say they are different people.",
            review_items.pair_key(person.id, owner.id), person_id=person.id,
            other_person_id=owner.id, pco_id=pco_id)

    def _several_in_pco(self, person, candidates):
        self.progress.review(
            ReviewKind.DUPLICATE_IN_PCO,
            f"{person.full_name} (local id {person.id}) may be any of PCO people "
            f"{', '.join(candidates)} (same email, names agree). Not created in PCO: link "
            "the right one, or say none of them is this person.",
            f"{person.id}", person_id=person.id, details={"candidates": candidates})

    def landed_anyway(self, person):
        """PCO may have created the person although its answer was lost (the client never
        retries a POST): find them by name and birthdate rather than create them twice."""
        key = name_key(person.first_name, person.last_name)
        full_name = " ".join(part for part in (person.first_name, person.last_name) if part)
        # Just created by us: same name and birthdate, no email yet, linked to no one here.
        found = [record for record in self.search(full_name)
                 if name_key(record["first_name"], record["last_name"]) == key
                 and record["birthdate"] == person.birthdate and not record["emails"]]
        found = [record for record in found
                 if record["pco_id"] not in local_owners([r["pco_id"] for r in found])]
        return self.client.get_person(found[0]["pco_id"]) if len(found) == 1 else None

    def search(self, text):
        """PCO people whose name or email matches `text` (with their emails), as records."""
        records = []
        for resource in self.client.find_people_by_email(text):
            try:
                records.append(schemas.load_person(resource))
            except ValidationError:
                continue  # a malformed candidate is simply not a match
        return records


def local_owners(pco_ids):
    """{PCO id: local person id} for those of `pco_ids` someone here is linked to."""
    if not pco_ids:
        return {}
    rows = db.session.execute(select(Person.pco_id, Person.id).where(Person.pco_id.in_(pco_ids)))
    return dict(rows.all())
