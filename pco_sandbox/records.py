"""Record shapes of the sandbox: attribute lists, defaults, derived values and time helpers.

Records are plain dicts keyed by PCO attribute names, so filters and serializers can read
them generically. Times are stored as integer epoch seconds (PCO answers with second
precision) and only formatted when serialized.
"""
import re
import time
from datetime import datetime, timezone

TIME_FIELDS = frozenset({"created_at", "updated_at", "inactivated_at", "joined_at", "archived_at",
                         "deleted_at", "display_date", "starts_at", "ends_at",
                         "canceled_at", "reminders_sent_at"})
DATE_FIELDS = frozenset({"birthdate", "anniversary"})

AVATAR_URL = "https://avatars.planningcenteronline.com/uploads/initials/{initial}.png"
NO_PHOTO_URL = "https://people.planningcenteronline.com/static/no_photo_thumbnail_gray.png"

# Alphabetical, like PCO's own bodies (People 2025-11-10 attributes that need no `fields`).
PERSON_DEFAULTS = {
    "accounting_administrator": False, "anniversary": None, "avatar": None,
    "birthdate": None, "can_create_forms": False, "can_email_lists": False, "child": False,
    "created_at": None, "demographic_avatar_url": None, "directory_status": "no_access",
    "first_name": None, "gender": None, "given_name": None, "grade": None,
    "graduation_year": None, "inactivated_at": None, "last_name": None, "login_identifier": None,
    "medical_notes": None, "membership": None, "middle_name": None, "name": None,
    "nickname": None, "passed_background_check": False, "people_permissions": None,
    "remote_id": None, "school_type": None,
    "site_administrator": False, "status": "active", "updated_at": None,
}
# DOC22 person.json assignable list (primary_campus_id / gender_id are accepted and kept).
PERSON_ASSIGNABLE = frozenset({
    "given_name", "first_name", "nickname", "middle_name", "last_name", "birthdate",
    "anniversary", "gender", "grade", "child", "graduation_year", "site_administrator",
    "accounting_administrator", "people_permissions", "membership", "inactivated_at",
    "status", "medical_notes", "avatar", "primary_campus_id", "gender_id", "remote_id",
    # PCO's staff: a person's marital status is set with this attribute (developers #683).
    "marital_status_id",
})

EMAIL_DEFAULTS = {
    "address": None, "blocked": False, "created_at": None, "location": "Home",
    "primary": False, "updated_at": None,
}
EMAIL_ASSIGNABLE = frozenset({"address", "location", "primary"})

PHONE_DEFAULTS = {
    "carrier": None, "country_code": None, "created_at": None, "e164": None,
    "international": None, "location": "Home", "national": None, "number": None,
    "primary": False, "updated_at": None,
}
PHONE_ASSIGNABLE = frozenset({"number", "carrier", "location", "primary"})

ADDRESS_DEFAULTS = {
    "city": None, "country_code": None, "country_name": None, "created_at": None,
    "location": "Home", "primary": False, "state": None, "street_line_1": None,
    "street_line_2": None, "updated_at": None, "zip": None,
}
ADDRESS_ASSIGNABLE = frozenset({
    "street_line_1", "street_line_2", "city", "state", "zip", "country_code", "location",
    "primary",
})

CONTACT_DEFAULTS = {"emails": EMAIL_DEFAULTS, "phone_numbers": PHONE_DEFAULTS,
                    "addresses": ADDRESS_DEFAULTS}
CONTACT_ASSIGNABLE = {"emails": EMAIL_ASSIGNABLE, "phone_numbers": PHONE_ASSIGNABLE,
                      "addresses": ADDRESS_ASSIGNABLE}
CONTACT_TYPES = {"emails": "Email", "phone_numbers": "PhoneNumber", "addresses": "Address"}
# A contact point without its value is meaningless; PCO rejects it as blank.
CONTACT_REQUIRED = {"emails": "address", "phone_numbers": "number", "addresses": None}

HOUSEHOLD_ASSIGNABLE = frozenset({"name", "member_count", "avatar", "primary_contact_id"})
HOUSEHOLD_MEMBERSHIP_ASSIGNABLE = frozenset({"person_id", "pending", "household_role"})
HOUSEHOLD_ROLES = ("adult", "child_or_dependent", "other_adult", "parent_guardian")

GROUP_MEMBERSHIP_ASSIGNABLE = frozenset({"person_id", "role", "joined_at"})
GROUP_MEMBERSHIP_ROLES = ("member", "leader")

COUNTRY_NAMES = {"US": "United States", "CA": "Canada", "MX": "Mexico", "GB": "United Kingdom"}


def now_ts():
    return int(time.time())


def iso(ts):
    """Epoch seconds -> PCO's UTC ISO 8601 form ("2019-12-09T17:48:20Z")."""
    if ts is None:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ts))


def parse_time(text, local_zone=None):
    """ISO 8601 date-time or date -> epoch seconds (float); None when unparseable.

    Date-only values are read in the organization's time zone, as PCO documents.
    """
    text = str(text).strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=local_zone or timezone.utc)
    return moment.timestamp()


def full_name(first_name, last_name):
    return " ".join(part for part in (first_name, last_name) if part) or None


def avatar_for(person):
    initial = (person.get("first_name") or person.get("last_name") or "?")[:1].upper()
    return AVATAR_URL.format(initial=initial if initial.isalpha() else "Q")


def apply_status_rules(person, changes, now):
    """PCO: status "inactive" stamps inactivated_at; setting inactivated_at flips status."""
    if "status" in changes:
        inactive = changes["status"] == "inactive"
        person["status"] = "inactive" if inactive else "active"
        person["inactivated_at"] = (person.get("inactivated_at") or now) if inactive else None
    elif "inactivated_at" in changes:
        person["status"] = "inactive" if person.get("inactivated_at") else "active"


def phone_parts(number):
    """Derive PCO's e164/national/international/country_code from a typed number."""
    digits = re.sub(r"\D", "", number or "")
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    if len(digits) == 10:
        area, exchange, line = digits[:3], digits[3:6], digits[6:]
        return {
            "e164": f"+1{digits}", "national": f"({area}) {exchange}-{line}",
            "international": f"+1 {area}-{exchange}-{line}", "country_code": "US",
        }
    e164 = f"+{digits}" if digits else None
    return {"e164": e164, "national": number, "international": e164, "country_code": None}


def household_name_for(last_name, first_name):
    return f"{last_name or first_name or 'Unnamed'} Household"
