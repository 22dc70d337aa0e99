"""The All runs page (paged, filtered) and the Sync page's first line: the last run's result in
one sentence with its link."""
from datetime import timedelta

from pcosync.extensions import db
from pcosync.models import FieldChange, SyncRun, utcnow
from pcosync.services.runs import listing
from tests.factories import make_person


def add_run(kind, status="COMPLETED", by="admin@example.org", minutes_ago=0, **counts):
    started = utcnow() - timedelta(minutes=minutes_ago)
    run = SyncRun(kind=kind, status=status, triggered_by=by, started_at=started,
                  finished_at=started + timedelta(seconds=5), **counts)
    db.session.add(run)
    db.session.flush()
    return run


def test_all_runs_filters_and_pages(app, admin_client, monkeypatch):
    helen = make_person("Helen", "Cooper")
    pull = add_run("People", minutes_ago=90, created_count=3, updated_count=2)
    db.session.add(FieldChange(record_type="Person", record_id=helen.id, person_id=helen.id,
                               field="nickname", before=None, after="Nell", run_id=pull.id))
    add_run("Push People", status="FAILED", minutes_ago=60, error="PCO refused the request\nmore")
    for minute in range(5):
        add_run("Quick Sync", by="schedule", minutes_ago=minute)
    db.session.commit()

    def ids(**args):
        html = admin_client.get("/sync/all-runs", query_string=args).get_data(as_text=True)
        return html.count("data-run-id=")

    assert ids() == 7
    assert ids(kind="Quick Sync") == ids(schedule="scheduled") == 5
    assert ids(schedule="manual") == ids(who="admin@") == 2
    assert ids(status="FAILED") == 1
    assert ids(person="helen coo") == ids(person="Cooper") == 1
    assert ids(person="Nobody") == 0
    assert "No run matches this filter." in admin_client.get("/sync/all-runs?person=Nobody").text
    # Odd values are ignored, never an error.
    assert ids(kind="DROP TABLE", status="nope", schedule="x", page="-3") == 7
    monkeypatch.setattr(listing, "RUNS_PER_PAGE", 3)
    second = admin_client.get("/sync/all-runs?schedule=scheduled&page=2").text
    assert second.count("data-run-id=") == 2 and "Page 2 of 2" in second
    assert 'href="/sync/all-runs?page=1&amp;schedule=scheduled"' in second  # the filter stays

    page = admin_client.get("/sync/").text
    assert "Quick Sync finished: 0 created, 0 updated, 0 unchanged." in page
    assert 'href="/sync/all-runs"' in page
    failed = add_run("Push People", status="FAILED", error="PCO refused the request\nmore")
    db.session.commit()
    assert "Push People failed: PCO refused the request." in admin_client.get("/sync/").text
    assert admin_client.get(f"/sync/runs/{failed.id}/summary").json["outcome"] == (
        "Push People failed: PCO refused the request.")
