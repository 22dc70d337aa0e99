"""What the Sync page shows: the active run, the history, webhook counts. Read-only queries,
except that a run whose worker died is marked FAILED when the page looks at it."""
from sqlalchemy import func, select

from ...extensions import db
from ...models import DeliveryStatus, RunStatus, SyncRun, WebhookDelivery
from ...extensions import redis_is_up
from . import outcome, pco_writes
from .lifecycle import active_run, recover_stale_runs

HISTORY_SIZE = 20


def history(limit=HISTORY_SIZE):
    """The newest top-level runs (a Full Sync's steps show inside their parent)."""
    query = (select(SyncRun).where(SyncRun.parent_id.is_(None))
             .order_by(SyncRun.started_at.desc(), SyncRun.id.desc()).limit(limit))
    return db.session.scalars(query).all()


def current_step(run):
    running = [s for s in run.steps if s.status == RunStatus.RUNNING]
    return running[-1].kind if running else None


def run_summary(run):
    return {
        "id": run.id,
        "kind": run.kind,
        "status": run.status,
        "started_at": run.started_at.isoformat(),
        "finished_at": run.finished_at.isoformat() if run.finished_at else None,
        "elapsed_seconds": round(run.duration_seconds, 1),
        "created": run.created_count,
        "updated": run.updated_count,
        "skipped": run.skipped_count,
        "failed": run.failed_count,
        "total_expected": run.total_expected,
        "step": current_step(run),
        "cancel_requested": run.cancel_requested,
        "triggered_by": run.triggered_by,
        "error": run.error,
        "preview": run.preview,
        "needs_review": run.needs_review,
        "label": outcome.kind_label(run),
        "outcome": outcome.sentence(run),
    }


def last_finished():
    """The newest top-level run that is not running: the Sync page's first line."""
    query = (select(SyncRun).where(SyncRun.parent_id.is_(None), SyncRun.status != RunStatus.RUNNING)
             .order_by(SyncRun.started_at.desc(), SyncRun.id.desc()).limit(1))
    return db.session.scalar(query)


def report_view(run):
    """What a run's page shows beyond its counters: the report of a preview, the preview of a
    run the guard stopped, and which button may start the real run ("Apply", or "Run anyway"
    past the guard), if any."""
    report = run.report or {}
    preview_id = report.get("preview_run_id")
    linked = db.session.get(SyncRun, preview_id) if preview_id else None
    top_level = run.parent_id is None and run.status != RunStatus.RUNNING
    nothing = run.preview and run.status == RunStatus.COMPLETED and changes_nothing(report)
    applicable = run.preview and run.status == RunStatus.COMPLETED and not nothing
    confirm = bool(report.get("guard")) if run.preview else run.needs_review
    writes = (report.get("pco_writes") or {}).get("first") or []
    return {"report": report, "linked_preview": linked, "nothing_to_change": nothing,
            "writes_by_person": pco_writes.by_person(writes),
            "can_apply": top_level and (applicable or run.needs_review), "confirm": confirm}


def changes_nothing(report):
    """A preview that would change no record here and send nothing to PCO: no Apply."""
    changed = sum(change.get(action, 0) for change in report.get("changes", {}).values()
                  for action in ("created", "updated", "archived", "deleted"))
    writes = report.get("pco_writes", {}).get("total")
    return changed == 0 and not writes and not report.get("guard")


def webhook_counts():
    rows = db.session.execute(
        select(WebhookDelivery.status, func.count()).group_by(WebhookDelivery.status))
    counts = dict.fromkeys(DeliveryStatus, 0)
    counts.update({status: n for status, n in rows})
    return counts


def status():
    # The page polls this every 3 s. Without it, a run whose worker was killed stayed RUNNING
    # (and every start got 409) until someone started another run: a worker restarted within
    # the stale period recovers nothing at its start, and nothing else looks.
    recover_stale_runs()
    run = active_run()
    latest = db.session.scalar(select(func.max(SyncRun.id)).where(SyncRun.parent_id.is_(None)))
    return {
        "active": run_summary(run) if run else None,
        "latest_run_id": latest,
        "webhooks": webhook_counts(),
        # Redis down: the page says so (runs cannot start; deliveries wait in the database).
        "queue": {"up": redis_is_up()},
    }
