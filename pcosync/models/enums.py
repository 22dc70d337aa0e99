"""The named values of the sync machinery and of the directory, each defined once. They are
StrEnums stored as their string values, so a row written before they existed reads back equal,
and templates and JSON see plain strings. Every CHECK on such a column is built by check_in."""
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
    # People, contact points and person mergers changed since a stored cursor; never archives.
    QUICK_SYNC = "Quick Sync"
    # Pastoral notes and their categories: a step of the Full Sync, and a push of its own.
    NOTES = "Notes"
    PUSH_NOTES = "Push Notes"
    # Groups' events and who attended them (pull only), in resumable chunks.
    ATTENDANCE = "Group Attendance"
    # Every pull step that brings "only in PCO" to zero (the independence report's button).
    BRING_ALL_HERE = "Bring It All Here"
    # Photos and custom-field files downloaded and kept here; photos taken here sent to PCO.
    MEDIA = "Media"
    PUSH_PHOTOS = "Push Photos"


class RunStatus(StrEnum):
    RUNNING = "RUNNING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"
    # A scheduled run that found another run going: recorded, never queued behind it.
    SKIPPED = "SKIPPED"


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


class ReviewKind(StrEnum):
    """What a review item asks a human to decide; the queue groups items by kind."""
    DUPLICATE_HERE = "duplicate_here"  # two local people who look like one
    DUPLICATE_IN_PCO = "duplicate_in_pco"  # a local person who matches several PCO people
    PCO_MERGE = "pco_merge"  # PCO merged two people: confirm the local result
    REJECTED = "rejected"  # PCO refused a record we pushed
    MEMBER_NOT_PULLED = "member_not_pulled"  # a household member not pulled yet
    ARCHIVED_BY_PCO = "archived_by_pco"  # archived here because PCO deleted it
    CONFLICT = "conflict"  # changed here and in PCO to different values
    # Two PCO people who look like one (one email, agreeing names): only PCO can merge them.
    PCO_DUPLICATES = "pco_duplicates"


class ReviewStatus(StrEnum):
    OPEN = "open"
    RESOLVED = "resolved"
    DISMISSED = "dismissed"


class RemovalKind(StrEnum):
    """Where a membership removed here (and still held by PCO) belonged."""
    GROUP = "group"
    HOUSEHOLD = "household"


def check_in(column, enum):
    """The SQL of a CHECK constraint that `column` holds one of `enum`'s values."""
    values = ", ".join(f"'{member.value}'" for member in enum)
    return f"{column} in ({values})"


class FieldSync(StrEnum):
    """What the sync does with one custom field; an admin chooses, per field."""
    BOTH = "both"  # pulled and pushed
    PULL = "pull"  # pulled only: local edits stay here (the default for a field PCO adds)
    OFF = "off"  # neither: no request touches it, and what it holds here stays as it is


class PersonStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"


class GroupRole(StrEnum):
    MEMBER = "member"
    LEADER = "leader"


class Gender(StrEnum):
    """PCO's values (People API, and its answers since 2022-07-14). No CHECK: PCO types the
    attribute as free text, and an organization or an older API version may send another
    spelling, which is kept as it comes."""
    MALE = "Male"
    FEMALE = "Female"


class FieldType(StrEnum):
    """A custom field's data type, as PCO names it. A type PCO adds later is kept as it comes
    (no CHECK) and shown read only."""
    STRING = "string"  # one line
    TEXT = "text"  # a paragraph
    DATE = "date"
    NUMBER = "number"
    BOOLEAN = "boolean"
    SELECT = "select"
    CHECKBOXES = "checkboxes"
    FILE = "file"  # an upload PCO keeps
    HEADER = "header"
    HEADING = "heading"


class NameKind(StrEnum):
    """Which part of a name a church's own equivalence is about."""
    FIRST = "first"
    LAST = "last"


class DuplicateStatus(StrEnum):
    """A pair the duplicate finder found, and what an admin made of it."""
    OPEN = "open"
    MERGED = "merged"
    DIFFERENT = "different"  # different people: remembered (DistinctPeople), never listed again
    DISMISSED = "dismissed"


class ChangeSource(StrEnum):
    """Who wrote a change the history records (models/history.py)."""
    PULL = "pull"
    QUICK_SYNC = "quick sync"
    WEBHOOK = "webhook"
    PUSH = "push"
    REVIEW = "review"
    DIRECTORY = "directory"
    REVERT = "revert"
    OTHER = "other"  # ORM code that said nothing: another module of the platform, a script


class MediaKind(StrEnum):
    """What a stored file is (models/media.py)."""
    PERSON_PHOTO = "person photo"
    FAMILY_PHOTO = "family photo"
    FIELD_FILE = "field file"


class MediaSource(StrEnum):
    """Where a stored file came from: downloaded from PCO, or taken here (and sent to PCO)."""
    PCO = "pco"
    LOCAL = "local"
