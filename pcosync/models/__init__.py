"""The platform's data model. Models know nothing of PCO's wire format."""
from .families import Family, FamilyMember
from .groups import PCO_GROUPS_DEPARTMENT, Department, Group, GroupMembership
from .people import SYNCED_PERSON_FIELDS, Address, Email, Person, PhoneNumber
from .enums import DeliveryStatus, Outcome, RemovalKind, RunKind, RunStatus
from .sync import PendingRemoval, SyncIssue, SyncRun, WebhookDelivery, WebhookSubscription
from .types import UTCDateTime, utcnow
from .users import (
    BUILTIN_ROLES, PCO_MANAGE, PEOPLE_MANAGE, TECH_ADMIN, Permission, Role, User,
)

__all__ = [
    "Address", "BUILTIN_ROLES", "DeliveryStatus", "Department", "Email", "Family",
    "FamilyMember", "Group", "GroupMembership", "Outcome", "PCO_GROUPS_DEPARTMENT", "PCO_MANAGE",
    "PEOPLE_MANAGE", "PendingRemoval", "Permission", "Person", "PhoneNumber", "RemovalKind",
    "Role", "RunKind", "RunStatus", "SYNCED_PERSON_FIELDS", "SyncIssue", "SyncRun",
    "TECH_ADMIN", "UTCDateTime", "User", "WebhookDelivery", "WebhookSubscription", "utcnow",
]
