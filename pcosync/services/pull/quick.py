"""Quick Sync: only what changed in PCO since the stored cursors, cheap enough to run every few
minutes and catch whatever a webhook missed.

- Person mergers created since their cursor, first: a removed person's local record is then
  re-pointed (or archived) before the kept person's changes arrive.
- People changed since their cursor (with their contact points), applied by Sync People's own
  apply_people_page.
- Emails, phone numbers and addresses changed since theirs: a changed one does not always bump
  its person's updated_at. Their people are re-read in bulk (100 a request), except those this
  run already read with that very version, and those whose version is already held here.

The PCO ids of the people it found different from what is held here are kept in the run's
report (CHANGED_PEOPLE): with webhooks flowing there should be none (services/alerts/webhooks).

Never archives: a record missing from a delta means nothing (the Full Sync reconciles). Leaves
households and groups to their webhooks and to the Full Sync: PCO does not bump a household's
updated_at when its members change, and groups have no updated_at.
"""
import logging

from sqlalchemy import select

from ...pco import deltas, schemas
from ...extensions import db
from ..rules.contact_kinds import BY_NAME, CONTACT_KINDS
from ..rules.merge import SKIPPED, UPDATED
from ..rules.mergers import apply_person_merger
from . import cursors
from .listing import load_records
from .people import apply_people_page
from .scope import keep_in_scope

log = logging.getLogger("pcosync.pull")
CONTACTS = tuple(kind.name for kind in CONTACT_KINDS)  # each a listing with its cursor
CHANGED_PEOPLE = "changed_people"  # the report's key: PCO ids of the people found changed
OUTSIDE_SCOPE = "outside_scope"  # the report's key: PCO ids skipped as outside the sync scope
REPORTED_AT_MOST = 1000


def quick_sync(client, progress, since=None):
    """`since`: the run kind that reads every person (the registry's Sync People); a listing
    without a cursor starts at its last completed run (cursors.start)."""
    apply_person_mergers(client, progress, since)
    differed = set()
    read_with_person = apply_changed_people(client, progress, differed, since)
    refresh_people_of_changed_contacts(client, progress, read_with_person, differed, since)
    if differed:  # nothing written when nothing changed
        progress.run.report = dict(progress.run.report or {},
                                   **{CHANGED_PEOPLE: sorted(differed)[:REPORTED_AT_MOST]})


def apply_person_mergers(client, progress, since=None):
    for page in deltas.iter_person_mergers(client, cursors.start("person_mergers", since)):
        for merger in load_records(page.records, schemas.load_person_merger, "PersonMerger",
                                   progress):
            outcome = apply_person_merger(merger["person_to_keep_id"],
                                          merger["person_to_remove_id"], progress)
            progress.count(SKIPPED if outcome == SKIPPED else UPDATED)
        cursors.advance("person_mergers", page.position)
        progress.checkpoint()


def apply_changed_people(client, progress, differed, since=None):
    """Apply the changed people page by page (adding to `differed` those unlike ours); returns
    the contact point versions they carried."""
    read = set()
    for page in deltas.iter_changed_people(client, cursors.start("people", since)):
        resources = in_scope(page.records, progress)
        records = load_records(resources, schemas.load_person, "Person", progress)
        differed.update(apply_people_page(records, progress))
        read.update(contact_versions(records))
        cursors.advance("people", page.position)
        progress.checkpoint()
        log.info("quick sync people page run_id=%s records=%s", progress.run.id, len(records))
    return read


def in_scope(resources, progress):
    """The people inside the sync scope; those outside are Skipped and named in the run's
    report (OUTSIDE_SCOPE), never applied or archived (pull/scope.py)."""
    kept, outside = keep_in_scope(resources, progress)
    if outside:
        report = dict(progress.run.report or {})
        named = report.get(OUTSIDE_SCOPE, [])
        report[OUTSIDE_SCOPE] = (named + [i for i in outside if i not in named])[:REPORTED_AT_MOST]
        progress.run.report = report
    return kept


def contact_versions(people):
    return {(kind, item["pco_id"], item.get("pco_updated_at"))
            for person in people for kind in CONTACTS for item in person[kind]}


def refresh_people_of_changed_contacts(client, progress, read_with_person, differed,
                                       since=None):
    """The contact cursors move only after every person they need is applied and committed."""
    person_ids, reached = [], {}
    for kind in CONTACTS:
        for page in deltas.iter_changed_contacts(client, kind, cursors.start(kind, since)):
            changed = load_records(page.records, BY_NAME[kind].load, BY_NAME[kind].pco_type,
                                   progress)
            person_ids += people_to_refresh(kind, changed, read_with_person)
            reached[kind] = page.position
    for batch in deltas.people_by_ids(client, person_ids):
        differed.update(apply_people_page(load_records(
            in_scope(batch, progress), schemas.load_person, "Person", progress), progress))
        progress.checkpoint()
    for kind, position in reached.items():
        cursors.advance(kind, position)
    progress.checkpoint()


def people_to_refresh(kind, changed, read_with_person):
    """PCO ids of the people whose contact point changed and who still need a read."""
    fresh = [c for c in changed if c.get("person_pco_id")
             and (kind, c["pco_id"], c.get("pco_updated_at")) not in read_with_person]
    model = BY_NAME[kind].model
    held = dict(db.session.execute(select(model.pco_id, model.pco_updated_at).where(
        model.pco_id.in_([c["pco_id"] for c in fresh]))).all()) if fresh else {}
    return [c["person_pco_id"] for c in fresh if not _already_held(held.get(c["pco_id"]), c)]


def _already_held(held_updated_at, contact):
    incoming = contact.get("pco_updated_at")
    return held_updated_at is not None and incoming is not None and incoming <= held_updated_at
