"""What every pull shares: one loop over a listing's pages (load, apply, commit, archive
what PCO no longer lists) and the small helpers the resources need."""
import gc
import logging
from contextlib import closing, contextmanager

from marshmallow import ValidationError
from sqlalchemy import select

from ...extensions import db
from ...models import Person
from ...pco.errors import PCONotFound
from ..rules.lookups import kept_across_commits
from .tombstones import archive_missing

log = logging.getLogger("pcosync.pull")
GC_THRESHOLD = 50_000  # net new objects between two collections of the youngest generation


def load_records(page_records, loader, record_type, progress):
    """Turn a page's resources into plain dicts; a malformed one becomes a SyncIssue."""
    loaded = []
    for resource in page_records:
        try:
            loaded.append(loader(resource))
        except ValidationError as err:
            pco_id = resource.get("id") if isinstance(resource, dict) else None
            progress.issue(record_type, str(err),
                           pco_id=str(pco_id)[:40] if pco_id is not None else None, failed=True)
    return loaded


def people_by_pco_id(pco_ids, *options, for_update=False):
    """Local people (archived ones too) by PCO id, in one query (plus one per loader option);
    `for_update`: their rows locked until the transaction ends (in id order: two such reads
    never wait for each other crosswise)."""
    wanted = {i for i in pco_ids if i}
    if not wanted:
        return {}
    query = select(Person).where(Person.pco_id.in_(wanted)).options(*options)
    if for_update:
        query = query.with_for_update(of=Person).order_by(Person.id)
    return {p.pco_id: p for p in db.session.scalars(query)}


def pull_listing(pages, loader, record_type, apply_page, progress, tombstone, unloaded=None):
    """Every pull: page by page, load (bad records become issues), apply, commit; then the
    linked records PCO no longer lists are archived. `tombstone`: (model, PCO id column,
    a function telling whether PCO still has an id), or None when the listing is not all of
    PCO (a scoped pull archives no one). `unloaded(resources)`: the page's resources left to
    load (those it leaves out are its to count). Returns the PCO ids listed."""
    seen = set()
    # closing: a listing read ahead (pco/prefetch.py) joins its thread at once. The lookup
    # tables are read once for the listing, not once per page (rules/lookups).
    with fewer_collections(), closing(pages), kept_across_commits():
        for page in pages:
            progress.expect(page.total_count)
            seen.update(str(r.get("id")) for r in page.records if isinstance(r, dict))
            resources = page.records if unloaded is None else unloaded(page.records)
            apply_page(load_records(resources, loader, record_type, progress), progress)
            progress.checkpoint(quiet=True)
            log.info("pull page run_id=%s kind=%s offset=%s", progress.run.id, record_type,
                     page.offset)
    if tombstone is not None:
        model, id_column, exists = tombstone
        archive_missing(model, id_column, seen, progress, record_type, exists)
        progress.checkpoint()
    return seen


@contextmanager
def fewer_collections(threshold=GC_THRESHOLD):
    """A page is tens of thousands of new objects (the decoded JSON, the loaded records, the
    rows), nearly all freed by their reference counts; Python's cyclic collector, run every 700
    allocations by default, kept scanning them (and the whole heap, ten times per 10,000
    people) for garbage that was not there: a sixth of a first pull's time, a quarter of a pull
    where nothing changed. The process's setting is back once the listing is done."""
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], threshold), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


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
