"""Households read with the people: in a Full Sync, Sync People asks PCO's people listing to
include each person's households, and Sync Families reads them from here instead of paging
PCO's households listing: 69 requests fewer at 20,000 people, 342 at 100,000, a sixth of the
run's requests and so of its time under PCO's rate limit.

Only when the people read are all of PCO's (no pull scope, a token that sees every profile):
then a household's members are the people whose households name it. They wait in Redis under
the run, not in the worker's memory (34,000 households at 100,000 people): the household's
attributes in one hash, its members as a set each; every key expires after a day, and Sync
Families deletes what it read. A household whose members found here are not its
`member_count` (a membership the people listing does not show) is read from PCO on its own.
"""
import json
import logging
from itertools import islice

from ...extensions import get_redis
from ...pco.client import Page
from ...pco.errors import PCONotFound

log = logging.getLogger("pcosync.pull")
HOUSEHOLDS = "households read with the people"  # what Sync Families reads (runs/kinds.py)
KEEP_SECONDS = 24 * 3600  # a run that never reaches Sync Families leaves nothing for long
PAGE = 100  # households a page, as PCO's listing gives them


def _key(run_id, *parts):
    return ":".join(("pcosync", "run", str(run_id), "households", *parts))


class KeepingHouseholds:
    """The people `pages`, passed through; each person's households are kept for the run
    `run_id`, and marked complete once the last page was read. Closing it closes `pages` (a
    listing read ahead joins its thread), even before the first page."""

    def __init__(self, pages, run_id):
        self.pages, self.run_id = pages, run_id

    def __iter__(self):
        redis = get_redis()
        for page in self.pages:
            _stage(redis, self.run_id, page.records)
            yield page
        redis.set(_key(self.run_id, "complete"), 1, ex=KEEP_SECONDS)

    def close(self):
        self.pages.close()


def _stage(redis, run_id, people):
    """One pipeline a page: each household's attributes, and its members among `people`."""
    attributes, members = {}, {}
    for person in people:
        for household in _households_of(person):
            household_id = str(household["id"])
            if household_id not in attributes and isinstance(household.get("attributes"), dict):
                attributes[household_id] = json.dumps(household["attributes"])
            members.setdefault(household_id, []).append(str(person["id"]))
    if not members:
        return
    pipeline = redis.pipeline(transaction=False)
    if attributes:
        pipeline.hset(_key(run_id, "attributes"), mapping=attributes)
        pipeline.expire(_key(run_id, "attributes"), KEEP_SECONDS)
    for household_id, person_ids in members.items():
        pipeline.sadd(_key(run_id, "members", household_id), *person_ids)
        pipeline.expire(_key(run_id, "members", household_id), KEEP_SECONDS)
    pipeline.execute()


def _households_of(person):
    """The household resources a person's record names (a malformed record names none)."""
    if not isinstance(person, dict) or person.get("id") is None:
        return []
    relationship = (person.get("relationships") or {}).get("households") or {}
    data = relationship.get("data") if isinstance(relationship, dict) else None
    return [h for h in data or [] if isinstance(h, dict) and h.get("id") is not None]


def staged_pages(client, run_id):
    """Pages of Household resources, as PCO's listing (with its people) would give them, from
    what Sync People kept for the run `run_id`; None when it kept nothing complete."""
    if run_id is None or not get_redis().exists(_key(run_id, "complete")):
        return None
    return _pages(client, run_id)


def _pages(client, run_id):
    redis = get_redis()
    total = redis.hlen(_key(run_id, "attributes"))
    entries = _once_each(redis.hscan_iter(_key(run_id, "attributes"), count=PAGE))
    offset = 0
    while batch := list(islice(entries, PAGE)):
        yield Page(records=_households(client, run_id, batch), total_count=total,
                   offset=offset)
        offset += len(batch)


def _once_each(entries):
    """A hash scanned while Redis rehashes it may give an entry twice."""
    seen = set()
    for household_id, attributes in entries:
        if household_id not in seen:
            seen.add(household_id)
            yield household_id.decode(), json.loads(attributes)


def _households(client, run_id, batch):
    """The batch's households with their members (whose sets are deleted as they are read);
    one whose count disagrees is read from PCO."""
    pipeline = get_redis().pipeline(transaction=False)
    for household_id, _ in batch:
        pipeline.smembers(_key(run_id, "members", household_id))
        pipeline.unlink(_key(run_id, "members", household_id))
    records = []
    for (household_id, attributes), members in zip(batch, pipeline.execute()[::2]):
        people = sorted((m.decode() for m in members), key=lambda i: (len(i), i))
        if attributes.get("member_count") not in (None, len(people)):
            records += _read_alone(client, household_id, attributes, people)
            continue
        records.append({"type": "Household", "id": household_id, "attributes": attributes,
                        "relationships": {"people": {"data": [
                            {"type": "Person", "id": person_id} for person_id in people]}}})
    return records


def _read_alone(client, household_id, attributes, people):
    log.info("household read alone pco_id=%s: %s members in PCO, %s among the people read",
             household_id, attributes.get("member_count"), len(people))
    try:
        return [client.get_household(household_id)]
    except PCONotFound:  # gone since: the step's archiving asks PCO again
        return []


def forget(run_id):
    """Delete what is left of what was kept for the run (Sync Families has read it)."""
    get_redis().unlink(_key(run_id, "attributes"), _key(run_id, "complete"))
