"""What the pushes share: the local rows they walk, which errors concern one record, and how
they are filed."""
from marshmallow import ValidationError
from sqlalchemy import func, select

from ...extensions import db
from ...models import ReviewKind
from ...pco.errors import PCOBadResponse, PCONotFound, PCOUnavailable, PCOValidationError

# This many records in a row failing because PCO is unreachable means PCO is down, not that
# the records are bad: the run stops instead of filing an issue for every remaining record.
OUTAGE_LIMIT = 5
# Failures that concern one record: filed as a SyncIssue, then the push goes on.
RECORD_ERRORS = (PCOValidationError, PCOUnavailable, PCONotFound, PCOBadResponse,
                 ValidationError)


class RecordFailures:
    """Files one SyncIssue per failed record; stops the run when PCO looks down."""

    def __init__(self, progress):
        self.progress = progress
        self.outages = 0

    def succeeded(self):
        self.outages = 0

    def failed(self, record_type, reason, err, pco_id=None, local_id=None):
        self.outages = self.outages + 1 if isinstance(err, PCOUnavailable) else 0
        if self.outages >= OUTAGE_LIMIT:
            raise err
        self.progress.issue(record_type, f"{reason}: {err}", pco_id=pco_id,
                            local_id=local_id, failed=True)
        if not isinstance(err, PCOUnavailable):  # refused, not merely unreachable: ask a human
            self.progress.review(ReviewKind.REJECTED, f"{reason}: {err}",
                                 f"{record_type}:{local_id or pco_id}", pco_id=pco_id,
                                 **refused_record(record_type, local_id))


def refused_record(record_type, local_id):
    """The review item's link to the local record PCO refused."""
    if record_type == "Person":
        return {"person_id": local_id}
    if record_type == "Family":
        return {"family_id": local_id}
    return {"details": {"record_type": record_type, "local_id": local_id}}


class RecordPusher:
    """A push over many records with one client, one progress and one failure tally."""

    def __init__(self, client, progress):
        self.client = client
        self.progress = progress
        self.failures = RecordFailures(progress)

    def attempt(self, record_type, reason, action, pco_id=None, local_id=None):
        """`action()` for one record, its outcome counted. A failure that concerns this record
        alone is filed as a SyncIssue ("<reason>: <error>") and the push goes on."""
        try:
            outcome = action()
        except RECORD_ERRORS as err:
            self.failures.failed(record_type, reason, err, pco_id=pco_id, local_id=local_id)
            return None
        self.failures.succeeded()
        self.progress.count(outcome)
        return outcome


def count_live(model, condition=None):
    """How many rows a push walks (archived ones are not pushed, unless `condition` says which
    rows to walk), for the progress bar."""
    condition = model.archived_at.is_(None) if condition is None else condition
    return db.session.scalar(select(func.count()).select_from(model).where(condition))


def live_batches(model, size, *options):
    """The rows that are not archived, in batches by id."""
    return batches(model, size, model.archived_at.is_(None), *options)


def batches(model, size, condition, *options):
    """The rows meeting `condition`, in batches by id (keyset paging, so commits between
    batches never skip a row and a re-run resumes cleanly)."""
    last_id = 0
    while True:
        query = (select(model).where(condition, model.id > last_id)
                 .order_by(model.id).limit(size).options(*options))
        batch = db.session.scalars(query).all()
        if not batch:
            return
        last_id = batch[-1].id
        yield batch
