"""A Full Sync's Families step reads the households Sync People kept from its pages
(pull/staged_households.py), not PCO's households listing: the same families, fewer requests."""
from pcosync.extensions import db, get_redis
from pcosync.models import SyncRun
from pcosync.pco.client import Page
from pcosync.services.connection import make_client
from pcosync.services.pull.staged_households import KeepingHouseholds, staged_pages
from pcosync.services.runs.execute import execute_run
from pcosync.services.runs.lifecycle import start_run
from tests.convergence import assert_converged
from tests.support import dump, sandbox_admin

HOUSEHOLDS_LISTING = "GET /people/v2/households"


def requests_by_route(sandbox):
    return sandbox_admin(sandbox, "GET", "/stats")["by_route"]


def run(kind):
    run_id = start_run(kind, triggered_by="test").id
    execute_run(run_id)
    return db.session.get(SyncRun, run_id)


def kept_keys():
    return list(get_redis().scan_iter(match="pcosync:run:*:households*"))


def test_a_full_sync_reads_households_with_the_people_and_agrees_with_the_listing(
        app, sandbox):
    sandbox_admin(sandbox, "POST", "/stats/reset")
    full_sync = run("Full Sync")
    assert full_sync.status == "COMPLETED", full_sync.error
    routes = requests_by_route(sandbox)
    assert not any("households" in route for route in routes), routes
    households = dump(sandbox)["households"]
    families = next(step for step in full_sync.steps if step.kind == "Families")
    assert (families.created_count, families.failed_count) == (len(households), 0)
    assert_converged(dump(sandbox))
    assert kept_keys() == []  # what was kept is deleted once read

    # PCO's listing, read by Sync Families alone, finds nothing to change.
    sandbox_admin(sandbox, "POST", "/stats/reset")
    alone = run("Families")
    assert requests_by_route(sandbox).get(HOUSEHOLDS_LISTING, 0) >= 1
    assert (alone.created_count, alone.updated_count, alone.skipped_count) == (
        0, 0, len(households))


def without_person(pages, pco_id):
    """The people pages as if PCO's listing had not shown one person's membership."""
    for page in pages:
        yield Page(records=[r for r in page.records if r["id"] != pco_id],
                   total_count=page.total_count, offset=page.offset)


def test_a_household_whose_members_the_people_pages_do_not_all_show_is_read_alone(
        app, sandbox):
    household = next(h for h in dump(sandbox)["households"] if len(h["members"]) >= 2)
    hidden = str(household["members"][-1]["person_id"])
    client = make_client(app)
    for _ in KeepingHouseholds(without_person(client.iter_people(households=True), hidden),
                               run_id=-1):
        pass
    sandbox_admin(sandbox, "POST", "/stats/reset")
    records = {r["id"]: r for page in staged_pages(client, -1) for r in page.records}
    members = [ref["id"] for ref in records[str(household["id"])]["relationships"]["people"]
               ["data"]]
    assert hidden in members and len(members) == len(household["members"])
    assert requests_by_route(sandbox) == {"GET /people/v2/households/<id>": 1}
    assert len(records) == len(dump(sandbox)["households"])


def test_nothing_is_read_from_what_a_people_step_did_not_finish_keeping(app, sandbox):
    client = make_client(app)
    pages = KeepingHouseholds(client.iter_people(households=True), run_id=-2)
    next(iter(pages))
    pages.close()
    assert kept_keys()  # the first page's households were kept, but not marked complete
    assert staged_pages(client, -2) is None
