"""The run kinds: one declaration each, read by the CLI (`flask pco pull|push <name>`), the Sync
page's buttons, the guard, the lifecycle (what a run executes, its steps) and the review
queue's "retry". A new kind is one `Kind(...)` below.

`value` is what SyncRun.kind stores (a RunKind member for the kinds that ship). Code that
needs one particular kind takes the named constant from here (PEOPLE, QUICK_SYNC, ...).
"""
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Callable

from ...models import RunKind
from ..pull.attendance import left_to_read as attendance_left, pull_attendance
from ..media.pull import pull_media
from ..media.push import push_photos
from ..pull.families import pull_families
from ..pull.groups import pull_groups, read_groups_early
from ..pull.notes import pull_notes
from ..pull.people import pull_people
from ..pull.quick import quick_sync
from ..pull.staged_households import HOUSEHOLDS
from ..push.families import push_families
from ..push.memberships import push_memberships
from ..push.notes import push_notes
from ..push.people import push_people

PULL, PUSH = "pull", "push"

PEOPLE, FAMILIES, GROUPS = RunKind.PEOPLE, RunKind.FAMILIES, RunKind.GROUPS
FULL_SYNC, QUICK_SYNC = RunKind.FULL_SYNC, RunKind.QUICK_SYNC
PUSH_PEOPLE, PUSH_FAMILIES = RunKind.PUSH_PEOPLE, RunKind.PUSH_FAMILIES
PUSH_MEMBERSHIPS, FULL_PUSH = RunKind.PUSH_MEMBERSHIPS, RunKind.FULL_PUSH
NOTES, PUSH_NOTES = RunKind.NOTES, RunKind.PUSH_NOTES
ATTENDANCE, BRING_ALL_HERE = RunKind.ATTENDANCE, RunKind.BRING_ALL_HERE
MEDIA, PUSH_PHOTOS = RunKind.MEDIA, RunKind.PUSH_PHOTOS


@dataclass(frozen=True)
class Kind:
    """One run kind. `run(client, progress)` does the work of a single kind; a composite has
    `steps` instead (kind values, run in order, each its own history row). `guarded`: the
    guard (guard.py) may stop it. `retries`: the record types of a rejected review item whose
    "retry" starts this kind. `more_to_do()`: whether a completed run left work that another
    run of the kind resumes (the job queues it at once). `catch_up`: a kind run first as a
    step of its own when `catch_up_needed()` says so (runs/catch_up.py). `reads_kept`: what
    the kind reads that an earlier step of the same run can keep for it as it goes
    (pull/staged_households.HOUSEHOLDS), instead of asking PCO again. `reads_early(client)`:
    asks PCO what the kind's run will ask, before it starts (pco/early_reads.py): in a run of
    steps, started once the step before it has read its listing, while it writes."""
    value: str
    direction: str
    cli_name: str
    label: str
    help: str
    run: Callable | None = None
    steps: tuple = ()
    guarded: bool = True
    retries: tuple = ()
    more_to_do: Callable | None = None
    catch_up: str | None = None
    reads_kept: tuple = ()
    reads_early: Callable | None = None

    @property
    def pushes(self):
        return self.direction == PUSH


DECLARED = (
    Kind(PEOPLE, PULL, "people", "Sync People", run=pull_people,
         help="People with their emails, phone numbers and addresses."),
    Kind(FAMILIES, PULL, "families", "Sync Families", run=pull_families,
         reads_kept=(HOUSEHOLDS,),
         help="Households and their members. Run after Sync People."),
    Kind(GROUPS, PULL, "groups", "Sync Groups", run=pull_groups, reads_early=read_groups_early,
         help="Groups and memberships, under the \u201cPCO Groups\u201d department. Run after "
              "Sync People."),
    # Reads note text, but never shows it: whoever runs it needs no notes.view.
    Kind(NOTES, PULL, "notes", "Sync Notes", run=pull_notes,
         help="Pastoral notes and their categories: the notes changed since the last run "
              "(every note, reconciled, as a step of the Full Sync). Run after Sync People."),
    # Downloads only (no API request), and only what is not stored yet: nothing to guard.
    Kind(MEDIA, PULL, "media", "Sync Photos and Files", run=pull_media, guarded=False,
         help="People's and households' photos and custom-field files that changed, "
              "downloaded and kept here. Run after Sync People and Sync Families."),
    # Under PCO's limit a pause in sending comes back a window later (a sliding window): Groups
    # right after People, so its requests go while People's last pages are written; Families
    # (in a Full Sync it asks PCO nothing) before Notes, whose requests then fill the window
    # its writing would have left idle (docs/operations/scale.md).
    Kind(FULL_SYNC, PULL, "all", "Full Sync",
         steps=(PEOPLE, GROUPS, FAMILIES, NOTES, MEDIA),
         help="People, then Groups, then Families, then Notes, then Photos and Files."),
    # Thousands of requests on a first pull: it runs in chunks (a group each) and resumes.
    Kind(ATTENDANCE, PULL, "attendance", "Sync Attendance", run=pull_attendance,
         guarded=False, more_to_do=attendance_left,
         help="Groups' meetings and who attended them (pull only). Run after Sync Groups."),
    # The independence report's button: every step that brings "only in PCO" to zero.
    Kind(BRING_ALL_HERE, PULL, "everything", "Bring It All Here",
         steps=(PEOPLE, GROUPS, FAMILIES, NOTES, MEDIA, ATTENDANCE),
         help="Everything this module brings from PCO: a Full Sync (photos and files "
              "included), then attendance."),
    # Reads only what changed in PCO (all of it "changes" by definition) and never archives:
    # a share of what it reads means nothing to the guard.
    Kind(QUICK_SYNC, PULL, "quick", "Quick Sync", guarded=False,
         run=partial(quick_sync, since=PEOPLE),
         help="Only what changed in PCO since the last Quick Sync: people, their emails, "
              "phones and addresses, and merges; a few requests. Never archives. Households "
              "and groups come by webhook and with the Full Sync (PCO does not date their "
              "changes)."),
    # A Quick Sync first links those added in PCO since the last pull, at the cost of a few
    # requests instead of several searches per new person (when the scope is all of PCO).
    Kind(PUSH_PEOPLE, PUSH, "people", "Push People", run=push_people, retries=("Person",),
         catch_up=QUICK_SYNC,
         help="Local people, with emails, phones and addresses, created or updated in PCO."),
    Kind(PUSH_FAMILIES, PUSH, "families", "Push Families", run=push_families,
         retries=("Family",),
         help="Families as PCO households (members added and removed), and the family "
              "address. Run after Push People."),
    Kind(PUSH_MEMBERSHIPS, PUSH, "memberships", "Push Group Memberships",
         run=push_memberships, retries=("Membership", "Group"),
         help="Memberships of groups that came from PCO: new ones, role changes and "
              "removals. Run last."),
    Kind(PUSH_NOTES, PUSH, "notes", "Push Notes", run=push_notes, retries=("Note",),
         help="Notes of the categories that sync both ways, created, edited or deleted in "
              "PCO. Run after Push People."),
    Kind(PUSH_PHOTOS, PUSH, "photos", "Push Photos", run=push_photos, guarded=False,
         help="Photos of people and families taken here, each sent to PCO once. Run after "
              "Push People."),
    Kind(FULL_PUSH, PUSH, "all", "Full Push",
         steps=(PUSH_PEOPLE, PUSH_PHOTOS, PUSH_NOTES, PUSH_FAMILIES, PUSH_MEMBERSHIPS),
         help="People, then Photos, then Notes, then Families, then Group Memberships."),
)
_registry = {kind.value: kind for kind in DECLARED}


def declared(direction=None):
    """Every kind (or those of one direction), in the order they were declared."""
    return tuple(kind for kind in _registry.values()
                 if direction is None or kind.direction == direction)


def find(value):
    """The kind stored as `value`, or None."""
    return _registry.get(value)


def get(value):
    """The kind stored as `value`; KeyError for a kind nobody declared."""
    return _registry[value]


def continuation(value):
    """The kind a completed run of `value` wants run next to finish its work, or None."""
    kind = _registry[value]
    for candidate in [kind, *map(get, kind.steps)]:
        if candidate.more_to_do is not None and candidate.more_to_do():
            return candidate.value
    return None


def by_cli_name(direction, name):
    """`flask pco <direction> <name>`'s kind, or None."""
    return next((kind for kind in declared(direction) if kind.cli_name == name), None)


def retry_for(record_type):
    """What a retry of a rejected record of `record_type` starts (a Full Push when no kind
    names it: it goes through everything)."""
    return next((kind.value for kind in _registry.values() if record_type in kind.retries),
                FULL_PUSH)


# -- for tests and extensions: kinds added at run time ----------------------------------------

def register(kind):
    """Add a kind; its steps must already be declared, its value and CLI name unused."""
    if kind.value in _registry or by_cli_name(kind.direction, kind.cli_name):
        raise ValueError(f"Run kind {kind.value!r} ({kind.cli_name}) is already declared.")
    if (kind.run is None) == (not kind.steps) or not all(map(find, kind.steps)):
        raise ValueError(f"Run kind {kind.value!r} needs either a run or declared steps.")
    _registry[kind.value] = kind


def unregister(value):
    _registry.pop(value, None)


@contextmanager
def registered(*kinds):
    """Declare `kinds` for the length of a block (steps after the kinds they run)."""
    added = []
    try:
        for kind in kinds:
            register(kind)
            added.append(kind.value)
        yield kinds
    finally:
        for value in reversed(added):
            unregister(value)
