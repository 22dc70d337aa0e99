"""Before a local person is created in PCO: is this person already there? Never create a
duplicate on either side, and never create on a doubt (docs/design.md §4, "Push looks before
it creates"). The name rule is rules/names: only *agree* links, *near* goes to a human.

1. Here first, without a request: a linked local person who agrees or is near by name +
   birthdate, by email or by phone is a *local* duplicate. Nothing is sent; a review item
   names both (merge, or different people).
2. Then PCO, one search at a time, each email, each phone (E.164), then last name +
   birthdate (first and last name for a person with none of these): one PCO person no one
   here is linked to who agrees -> link instead of creating; several, or a near one -> a
   review item asks which one (or none); nothing is created. A PCO person already linked to
   someone else here -> a local duplicate, as in 1.
3. Only then create.
A person with an open possible-duplicate item is held back without a request. What an admin
decided ("different people") is remembered and never asked again.
"""
from dataclasses import dataclass
from typing import Optional

from marshmallow import ValidationError
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import Email, Person, PhoneNumber, ReviewKind
from ...models.keys import email_key, name_key, name_part, phone_digits
from ...pco import schemas
from ..rules import review_items
from ..rules.erasures import erased_pco_ids
from ..rules.names import NameMatch, church_equivalences, grade

LOOKALIKE = (NameMatch.AGREE, NameMatch.NEAR)


@dataclass
class Lookup:
    pco_id: Optional[str] = None  # link to this PCO person rather than create one
    held: bool = False  # a human decides first; the review queue says why


@dataclass(frozen=True)
class Search:
    """One question to PCO: `shared_contact` when its answers hold this person's email or
    phone (which vouches for a missing birthdate, never for a variant name)."""
    run: object
    shared_contact: bool


class PersonLookup:
    def __init__(self, client, progress):
        self.client = client
        self.progress = progress
        self.equivalences = church_equivalences()

    def decide(self, person):
        if review_items.is_held(person.id):
            return Lookup(held=True)
        twin = self.linked_lookalike(person)
        if twin is not None:
            self._local_duplicate(person, twin, twin.pco_id)
            return Lookup(held=True)
        for search in self.searches(person):
            decision = self._in_pco(person, search)
            if decision is not None:
                return decision
        return Lookup()

    # -- here first -----------------------------------------------------------------------

    def linked_lookalike(self, person):
        """A linked local person this one agrees with or is near to, else None."""
        not_them = review_items.distinct_from_people(person.id)
        emails, phones = contact_keys(person)
        for other in linked_candidates(person, emails, phones):
            if other.id in not_them:
                continue
            shared = bool(emails & contact_keys(other)[0] or phones & contact_keys(other)[1])
            if grade(person, other, self.equivalences, shared_contact=shared) in LOOKALIKE:
                return other
        return None

    # -- then PCO -------------------------------------------------------------------------

    def searches(self, person):
        """The questions to PCO, cheapest first; each is asked only if the ones before it
        decided nothing."""
        emails, phones = contact_keys(person, primary_first=True)
        for key in emails:
            yield Search(lambda key=key: self._with_email(key), True)
        for number in dict.fromkeys(filter(None, (e164(p.number) for p in person.phone_numbers))):
            yield Search(lambda number=number: self.load(
                self.client.find_people_by_phone(number)), True)
        if person.birthdate is not None and name_part(person.last_name):
            yield Search(lambda: self.load(self.client.find_people_by_last_name_and_birthdate(
                person.last_name.strip(), person.birthdate)), False)
        elif not (emails or phones) and name_part(person.first_name) and name_part(
                person.last_name):
            # Nothing else to go by (a restored database, an old record): the same name in
            # PCO is a doubt, and a doubt is asked, never created.
            yield Search(lambda: self.load(self.client.find_people_by_name(
                person.first_name.strip(), person.last_name.strip())), False)

    def _in_pco(self, person, search):
        records = search.run()
        # An erased person PCO still holds (it refused the deletion) is never linked again.
        not_pco = review_items.distinct_from_pco(person.id) | erased_pco_ids(
            record["pco_id"] for record in records)
        found = {record["pco_id"]: record for record in records
                 if record["pco_id"] not in not_pco
                 and grade(person, record, self.equivalences,
                           search.shared_contact) in LOOKALIKE}
        owners = local_owners(list(found))
        not_them = review_items.distinct_from_people(person.id)
        taken = [(pco_id, owner) for pco_id, owner in owners.items()
                 if owner not in (person.id, *not_them)]
        if taken:
            for pco_id, owner in taken:
                self._local_duplicate(person, db.session.get(Person, owner), pco_id)
            return Lookup(held=True)
        free = {pco_id: record for pco_id, record in found.items() if pco_id not in owners}
        return self._decide_free(person, free, search)

    def _decide_free(self, person, free, search):
        if not free:
            return None
        if len(free) == 1:
            [(pco_id, record)] = free.items()
            if grade(person, record, self.equivalences, search.shared_contact) is NameMatch.AGREE:
                return Lookup(pco_id=pco_id)
        self._ask_which(person, sorted(free))
        return Lookup(held=True)

    def _with_email(self, key):
        """PCO people holding exactly this email (PCO's search also matches names)."""
        return [record for record in self.search(key)
                if key in {email_key(email["address"]) for email in record["emails"]}]

    # -- review items ---------------------------------------------------------------------

    def _local_duplicate(self, person, owner, pco_id):
        self.progress.review(
            ReviewKind.DUPLICATE_HERE,
            f"{person.full_name} (made here) looks like {owner.full_name}, who is already in "
            "PCO. Not created in PCO: merge them, or say they are different people.",
            review_items.pair_key(person.id, owner.id), person_id=person.id,
            other_person_id=owner.id, pco_id=pco_id)

    def _ask_which(self, person, candidates):
        self.progress.review(
            ReviewKind.DUPLICATE_IN_PCO,
            f"{person.full_name} may already be in PCO ({len(candidates)} "
            f"{'people' if len(candidates) > 1 else 'person'} there share an email, a phone, or "
            "a name and birthdate, or have a similar name). Not created in PCO: link the right "
            "one, or say none of them is this person.",
            f"{person.id}", person_id=person.id, details={"candidates": candidates})

    # -- after a lost answer --------------------------------------------------------------

    def landed_anyway(self, person):
        """PCO may have created the person although its answer was lost (the client never
        retries a POST): find them by name and birthdate rather than create them twice."""
        key = name_key(person.first_name, person.last_name)
        full_name = " ".join(part for part in (person.first_name, person.last_name) if part)
        # Just created by us: same name and birthdate, no email yet, linked to no one here.
        found = [record for record in self.search(full_name)
                 if name_key(record["first_name"], record["last_name"]) == key
                 and record["birthdate"] == person.birthdate and not record["emails"]]
        ids = [r["pco_id"] for r in found]
        taken = set(local_owners(ids)) | erased_pco_ids(ids)
        found = [record for record in found if record["pco_id"] not in taken]
        return self.client.get_person(found[0]["pco_id"]) if len(found) == 1 else None

    def search(self, text):
        """PCO people whose name or email matches `text` (with their emails), as records."""
        return self.load(self.client.find_people_by_email(text))

    @staticmethod
    def load(resources):
        records = []
        for resource in resources:
            try:
                records.append(schemas.load_person(resource))
            except ValidationError:
                continue  # a malformed candidate is simply not a match
        return records


def contact_keys(person, primary_first=False):
    """(email keys, phone digits) of a local person; emails in primary-first order."""
    emails = person.emails
    if primary_first:
        emails = sorted(emails, key=lambda email: not email.is_primary)
    email_keys = dict.fromkeys(k for k in (email_key(e.address) for e in emails) if k)
    phones = {d for d in (phone_digits(p.number) for p in person.phone_numbers) if d}
    return (email_keys if primary_first else set(email_keys)), phones


def linked_candidates(person, emails, phones):
    """Linked local people who share an email, a phone number, the last name or the
    birthdate with `person`: one query, the name rule decides among them."""
    last = name_part(person.last_name)
    reasons = []
    if emails:
        reasons.append(Person.id.in_(select(Email.person_id).where(Email.normalized.in_(emails))))
    if phones:
        reasons.append(Person.id.in_(select(PhoneNumber.person_id)
                                     .where(PhoneNumber.digits.in_(phones))))
    if last:
        reasons.append(or_(Person.search_name == last,
                           Person.search_name.endswith(f" {last}", autoescape=True)))
    if person.birthdate is not None:
        reasons.append(Person.birthdate == person.birthdate)
    if not reasons:
        return []
    query = (select(Person).where(Person.pco_id.is_not(None), Person.archived_at.is_(None),
                                  Person.id != person.id, or_(*reasons))
             .options(selectinload(Person.emails), selectinload(Person.phone_numbers)))
    return db.session.scalars(query).all()


def e164(number):
    """The E.164 form PCO searches by: '+' and the digits as typed with a country code, else
    a North American number (PCO's default country) of 10 digits."""
    digits = phone_digits(number)
    if (number or "").strip().startswith("+"):
        return f"+{digits}" if digits else None
    if len(digits) == 10:
        return f"+1{digits}"
    if len(digits) == 11 and digits.startswith("1"):
        return f"+{digits}"
    return None


def local_owners(pco_ids):
    """{PCO id: local person id} for those of `pco_ids` someone here is linked to."""
    if not pco_ids:
        return {}
    rows = db.session.execute(select(Person.pco_id, Person.id).where(Person.pco_id.in_(pco_ids)))
    return dict(rows.all())
