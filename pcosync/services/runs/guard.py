"""The guard: a pull or push that would update or archive more than SYNC_GUARD_PERCENT of the
records it goes through stops for a human, before writing them.

A broken or emptied PCO listing, a wrong set of credentials or a bulk edit gone wrong looks
like "almost everything changed". Progress asks the guard at every checkpoint, before the
page is committed, and before archiving what PCO no longer lists; when the share is exceeded
the page is rolled back and the run ends FAILED and "needs review", with a preview of what it
would have done. An admin who finds it right presses "Run anyway" (a run with
`guard_confirmed`). A preview is never stopped: it notes that the real run would be.
"""
from dataclasses import dataclass

from sqlalchemy import select

from ...extensions import db
from ...models import SyncRun
from . import kinds

# A run that changes fewer records than this is never stopped: a tiny church, a first edit.
MIN_CHANGED = 10
OFF = 100


class GuardTripped(Exception):
    """The share was exceeded; the message is the plain sentence the admin reads."""


@dataclass(frozen=True)
class Guard:
    percent: float
    kind: str

    def verdict(self, changed, total, archiving=None):
        """None, or why the run must stop: `changed` of `total` records would be updated or
        archived. `archiving`: what would be archived ("12 linked Person records"), when the
        question is whether to archive them."""
        if changed < MIN_CHANGED or changed * 100 <= self.percent * max(total, 1):
            return None
        share = (f"{changed * 100 / max(total, 1):.0f}%, more than the {self.percent:g}% that "
                 "SYNC_GUARD_PERCENT allows")
        if archiving:
            return (f"{self.kind} stopped before archiving anything: {archiving} are no longer "
                    f"in PCO's listing, {changed} of {total} ({share}). If they really were "
                    "deleted in PCO, press “Run anyway” to archive them; otherwise check PCO "
                    "first (a short listing would archive records that are still there).")
        pushes = kinds.get(self.kind).pushes
        stopped = ("it stopped there and sent nothing more to PCO" if pushes
                   else "nothing from that page was written")
        return (f"{self.kind} stopped: {changed} of the {total} records it went through would "
                f"be updated ({share}), so {stopped}. If that much really changed, press “Run "
                "anyway”; otherwise check PCO and the local data first (the preview shows what "
                "it would do).")


def guard_for(run, kind, config):
    """The guard of `run` (or of its step of `kind`), or None: off, confirmed or a kind
    declared unguarded (kinds.py)."""
    percent = float(config.get("SYNC_GUARD_PERCENT") or OFF)
    if run.guard_confirmed or percent >= OFF or not kinds.get(kind).guarded:
        return None
    return Guard(percent, str(kind))


def processed(run):
    """How many records the run has gone through so far."""
    return sum(getattr(run, f"{name}_count") or 0
               for name in ("created", "updated", "skipped", "failed"))


# -- after a stop: its preview ------------------------------------------------------------------

def stopped_by_guard(run_id=None, job_id=None):
    """The top-level run (by id, or the newest of an RQ job) if the guard stopped it and it has
    no preview yet; otherwise None."""
    query = select(SyncRun).where(SyncRun.parent_id.is_(None), SyncRun.needs_review.is_(True),
                                  SyncRun.preview.is_(False))
    if run_id is not None:
        query = query.where(SyncRun.id == run_id)
    elif job_id is not None:
        query = query.where(SyncRun.job_id == job_id)
    else:
        return None
    run = db.session.scalar(query.order_by(SyncRun.id.desc()).limit(1))
    return run if run is not None and not (run.report or {}).get("preview_run_id") else None


def link_preview(run, preview):
    """The stopped run's page links to the preview that shows what it would have done."""
    run.report = {**(run.report or {}), "preview_run_id": preview.id}
    db.session.commit()
