"""What the three pushes share: which errors concern one record, and how they are filed."""
from marshmallow import ValidationError

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
