"""The platform's data model. Models know nothing of PCO's wire format."""
from .families import Family, FamilyMember
from .groups import PCO_GROUPS_DEPARTMENT, Department, Group, GroupMembership
from .people import (
    PULL_ONLY_PERSON_FIELDS, SYNCED_PERSON_FIELDS, Address, Email, Person, PhoneNumber,
)
from .profile import (
    CHOICE_KINDS, GROUP_TAG, PERSON_CHOICE_KINDS, Campus, ProfileChoice,
)
from .alerts import Alert
from .custom_fields import FieldDefinition, FieldOption, FieldTab, FieldValue
from .notes import Note, NoteCategory
from .attendance import Attendance, AttendanceChunk, AttendancePass, GroupEvent
from .disconnection import Disconnection
from .media import MediaFailure, StoredFile
from .enums import (
    ChangeSource, DeliveryStatus, DuplicateStatus, FieldSync, FieldType, Gender, GroupRole,
    MediaKind, MediaSource, NameKind, Outcome, PersonStatus, RemovalKind, ReviewKind,
    ReviewStatus, RunKind, RunStatus,
)
from .history import CREATED, DELETED, SENSITIVE_FIELDS, FieldChange
from .schedules import SyncCursor, SyncSchedule
from .scope import SyncScope
from .sync import (
    ConnectedOrganization, PendingRemoval, SyncIssue, SyncRun, WebhookDelivery,
    WebhookSubscription,
)
from .review import DistinctPeople, ReviewItem
from .duplicates import DuplicatePair, NameEquivalence
from .privacy import PersonErasure
from .types import UTCDateTime, utcnow
from .users import (
    BUILTIN_ROLES, NOTES_MANAGE, NOTES_VIEW, PCO_MANAGE, PEOPLE_MANAGE, PEOPLE_PRIVACY,
    PEOPLE_SENSITIVE, TECH_ADMIN, Permission, RecoveryCode, Role, User, UserSession,
)

__all__ = [
    "Alert", "Attendance", "AttendanceChunk", "AttendancePass", "Disconnection", "GroupEvent",
    "CHOICE_KINDS", "Campus", "GROUP_TAG", "PERSON_CHOICE_KINDS", "PULL_ONLY_PERSON_FIELDS",
    "ProfileChoice",
    "Address", "BUILTIN_ROLES", "ConnectedOrganization", "DeliveryStatus", "Department",
    "DistinctPeople", "DuplicatePair", "DuplicateStatus", "Email", "FieldDefinition",
    "FieldOption", "FieldSync", "FieldTab", "FieldType", "FieldValue", "Family", "FamilyMember",
    "Gender", "Group", "GroupMembership", "GroupRole", "NameEquivalence", "NameKind", "Note",
    "NoteCategory", "Outcome",
    "PersonStatus",
    "NOTES_MANAGE", "NOTES_VIEW", "PCO_GROUPS_DEPARTMENT", "PCO_MANAGE", "PendingRemoval",
    "PEOPLE_MANAGE", "PEOPLE_PRIVACY", "Permission", "Person", "PersonErasure",
    "PhoneNumber", "RecoveryCode", "RemovalKind",
    "ReviewItem", "ReviewKind", "ReviewStatus", "Role",
    "RunKind", "RunStatus", "SyncCursor", "SYNCED_PERSON_FIELDS", "SyncIssue", "SyncRun",
    "SyncSchedule", "SyncScope", "TECH_ADMIN", "User", "UserSession", "UTCDateTime", "utcnow",
    "WebhookDelivery", "WebhookSubscription", "MediaFailure", "MediaKind", "MediaSource",
    "StoredFile",
    "CREATED", "ChangeSource", "DELETED", "FieldChange", "PEOPLE_SENSITIVE", "SENSITIVE_FIELDS",
]
