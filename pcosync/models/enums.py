"""The named values of the sync machinery, each defined once. They are StrEnums stored as their
string values, so a row written before they existed reads back equal, and templates and JSON
see plain strings."""
from enum import StrEnum


class RunKind(StrEnum):
    PEOPLE = "People"
    FAMILIES = "Families"
    GROUPS = "Groups"
    FULL_SYNC = "Full Sync"
    PUSH_PEOPLE = "Push People"
    PUSH_FAMILIES = "Push Families"
    PUSH_MEMBERSHIPS = "Push Group Memberships"
    FULL_PUSH = "Full Push"


class RunStatus(StrEnum):
    RUNNING = "RUNNING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"


class Outcome(StrEnum):
    """What happened to one record; each has a counter on SyncRun (`<outcome>_count`)."""
    CREATED = "created"
    UPDATED = "updated"
    SKIPPED = "skipped"
    FAILED = "failed"


class DeliveryStatus(StrEnum):
    RECEIVED = "received"
    PROCESSED = "processed"
    IGNORED = "ignored"
    FAILED = "failed"


class RemovalKind(StrEnum):
    """Where a membership removed here (and still held by PCO) belonged."""
    GROUP = "group"
    HOUSEHOLD = "household"


def check_in(column, enum):
    """The SQL of a CHECK constraint that `column` holds one of `enum`'s values."""
    values = ", ".join(f"'{member.value}'" for member in enum)
    return f"{column} in ({values})"
