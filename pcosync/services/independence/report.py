"""The independence report: for each kind of data (kinds.py), how much PCO holds, how much is
here, and what exists only in PCO; what this module does not bring; and what bringing the rest
of the attendance would cost in requests and time. What the token's user cannot see is said,
never guessed."""
from dataclasses import asdict, dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from ...extensions import db
from ...models import Group, utcnow
from ...pco.errors import PCOAuthError, PCONotFound
from ..runs import kinds as run_kinds
from . import kinds

# PCO's limit: 100 requests per 20 seconds per user (docs/pco-api-facts.md).
REQUESTS_PER_SECOND = 100 / 20
UNSEEN = ("The token's user cannot see this in PCO (PCO answered {status}), so it was not "
          "counted. Give that user access to it in PCO to count it.")


@dataclass
class Row:
    key: str
    label: str
    in_pco: int | None
    here: int
    only_in_pco: int | None
    brought_by: str
    counted_as: str = ""
    unseen: str | None = None  # why PCO's side was not counted


@dataclass
class Report:
    rows: list
    counted_at: datetime
    attendance_estimate: dict
    not_brought: tuple = field(default=kinds.NOT_BROUGHT)

    @property
    def left_in_pco(self):
        """{label: how many only in PCO, or "not counted"} of the kinds not fully here."""
        return {row.label: row.only_in_pco if row.unseen is None else "not counted"
                for row in self.rows if row.unseen is not None or row.only_in_pco}

    @property
    def all_here(self):
        return not self.left_in_pco

    def as_dict(self):
        return {"counted_at": self.counted_at.isoformat(), "all_here": self.all_here,
                "kinds": [asdict(row) for row in self.rows],
                "attendance_estimate": self.attendance_estimate,
                "not_brought": [{"what": what, "product": product}
                                for what, product in self.not_brought]}


def build_report(client):
    rows = [count_kind(kind, client) for kind in kinds.declared()]
    attendance = next((r for r in rows if r.key == "attendance"), None)
    return Report(rows=rows, counted_at=utcnow(),
                  attendance_estimate=attendance_estimate(attendance))


def count_kind(kind, client):
    here = kind.here() or 0
    try:
        in_pco = kind.in_pco(client)
    except (PCOAuthError, PCONotFound) as err:
        if isinstance(err, PCOAuthError) and err.status != 403:
            raise  # wrong credentials: the whole report cannot be made
        return Row(kind.key, kind.label, None, here, None, brought_by(kind), kind.counted_as,
                   unseen=UNSEEN.format(status=err.status))
    if kind.only_in_pco is not None:
        only = kind.only_in_pco()
    else:
        only = max(0, (in_pco or 0) - here)
    return Row(kind.key, kind.label, in_pco, here, only, brought_by(kind), kind.counted_as)


def brought_by(kind):
    return run_kinds.get(kind.brought_by).label


def attendance_estimate(row):
    """Requests and time to bring the meetings only in PCO: a page of events per group and a
    page of attendances per meeting, at PCO's rate limit."""
    meetings = (row.only_in_pco or 0) if row is not None else 0
    groups = db.session.scalar(select(func.count()).select_from(Group).where(
        Group.pco_group_id.is_not(None))) or 0
    requests = (groups + meetings) if meetings else 0
    seconds = round(requests / REQUESTS_PER_SECOND)
    return {"requests": requests, "seconds": seconds, "words": estimate_words(requests, seconds),
            "run": run_kinds.get(run_kinds.ATTENDANCE).label}


def estimate_words(requests, seconds):
    if not requests:
        return "Nothing to read: every meeting PCO holds is here."
    if seconds < 90:
        span = f"about {max(seconds, 1)} seconds"
    elif seconds < 90 * 60:
        span = f"about {round(seconds / 60)} minutes"
    else:
        span = f"about {seconds / 3600:.1f} hours"
    return (f"About {requests:,} requests to PCO: {span} at PCO's rate limit, in chunks that "
            "resume where they stopped.")
