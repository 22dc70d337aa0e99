"""The All runs page: every top-level run, newest first, a page at a time, filtered by kind,
status, who started it, schedule or not, and a person the run changed. The Sync page keeps
its 20-row history; a one-minute schedule would push every manual run off it, so this is
where older runs are found."""
import math
from dataclasses import dataclass

from sqlalchemy import func, or_, select

from ...extensions import db
from ...models import FieldChange, Person, RunStatus, SyncRun
from ...models.keys import name_part
from ..directory.common import Page
from . import kinds
from .schedules import SCHEDULED_BY

RUNS_PER_PAGE = 50
SCHEDULE_CHOICES = {"": "Any", "scheduled": "Scheduled only", "manual": "Not scheduled"}


@dataclass(frozen=True)
class RunFilter:
    kind: str = ""
    status: str = ""
    who: str = ""
    schedule: str = ""
    person: str = ""

    @classmethod
    def from_args(cls, args):
        """The filter from a query string; a value it does not know is ignored, not an error."""
        kind = args.get("kind", "") if kinds.find(args.get("kind", "")) else ""
        status = args.get("status", "") if args.get("status", "") in set(RunStatus) else ""
        schedule = args.get("schedule", "") if args.get("schedule", "") in SCHEDULE_CHOICES else ""
        return cls(kind=kind, status=status, schedule=schedule,
                   who=args.get("who", "").strip()[:200],
                   person=args.get("person", "").strip()[:100])

    @property
    def active(self):
        return any((self.kind, self.status, self.who, self.schedule, self.person))

    def as_args(self):
        return {name: value for name, value in vars(self).items() if value}


def choices():
    """What the filter's selects offer: kinds by their button name, statuses in words."""
    return {"kinds": [(kind.value, kind.label) for kind in kinds.declared()],
            "statuses": [(status.value, status.value.capitalize()) for status in RunStatus],
            "schedules": list(SCHEDULE_CHOICES.items())}


def runs_touching(person_text):
    """Ids of the top-level runs that changed a person whose name starts with `person_text`
    (a Full Sync's step counts for the Full Sync)."""
    key = " ".join(name_part(word) for word in person_text.split())
    people = select(Person.id).where(or_(
        Person.search_name.startswith(key, autoescape=True),
        Person.last_name.istartswith(person_text, autoescape=True)))
    run_ids = select(FieldChange.run_id).where(FieldChange.person_id.in_(people),
                                               FieldChange.run_id.is_not(None))
    parents = select(SyncRun.parent_id).where(SyncRun.id.in_(run_ids),
                                              SyncRun.parent_id.is_not(None))
    return or_(SyncRun.id.in_(run_ids), SyncRun.id.in_(parents))


def query_for(chosen):
    query = select(SyncRun).where(SyncRun.parent_id.is_(None))
    if chosen.kind:
        query = query.where(SyncRun.kind == chosen.kind)
    if chosen.status:
        query = query.where(SyncRun.status == chosen.status)
    if chosen.who:
        query = query.where(SyncRun.triggered_by.icontains(chosen.who, autoescape=True))
    if chosen.schedule == "scheduled":
        query = query.where(SyncRun.triggered_by == SCHEDULED_BY)
    elif chosen.schedule == "manual":
        query = query.where(SyncRun.triggered_by != SCHEDULED_BY)
    if chosen.person:
        query = query.where(runs_touching(chosen.person))
    return query


def page_of_runs(chosen, number):
    """One page, newest first. LIMIT/OFFSET: runs are thousands, not the directory's 50,000."""
    query = query_for(chosen)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    number = min(number, max(1, math.ceil(total / RUNS_PER_PAGE)))
    rows = db.session.scalars(query.order_by(SyncRun.started_at.desc(), SyncRun.id.desc())
                              .limit(RUNS_PER_PAGE).offset((number - 1) * RUNS_PER_PAGE))
    return Page(items=rows.all(), number=number, size=RUNS_PER_PAGE, total=total)
