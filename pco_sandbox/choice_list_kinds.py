"""The small lists of the sandbox: People's choice lists and campuses (People 2025-11-10:
MaritalStatus, InactiveReason, NamePrefix, NameSuffix, SchoolOption, Campus; each can be
created, updated and deleted through the API) and Groups' group types, locations, tag groups and
tags (Groups 2023-07-10: read only). Shapes from PCO's definitions (twcrews/planningcenter-api).

A person names a choice by a `*_id` key of its record; `PERSON_LINKS` says which relationship
(and include) reaches which list.
"""
from dataclasses import dataclass

from .records import iso


@dataclass(frozen=True)
class ListSpec:
    collection: str  # the table and the path's last part, e.g. "marital_statuses"
    type: str  # the JSON:API type
    product: str  # "people" or "groups"
    value: str  # the attribute that names an item ("value", or "name")
    defaults: dict  # every other attribute, with its default
    writable: bool = True


_TIMES = {"created_at": None, "updated_at": None}
CAMPUS_DEFAULTS = {
    "avatar_url": None, "church_center_enabled": True, "city": None,
    "contact_email_address": None, "country": "US", "date_format": 0, "description": None,
    "geolocation_set_manually": False, "latitude": None, "longitude": None,
    "phone_number": None, "state": None, "street": None, "time_zone": "America/New_York",
    "twenty_four_hour_time": False, "website": None, "zip": None, **_TIMES,
}
LISTS = (
    ListSpec("marital_statuses", "MaritalStatus", "people", "value", {}),
    ListSpec("inactive_reasons", "InactiveReason", "people", "value", {}),
    ListSpec("name_prefixes", "NamePrefix", "people", "value", {}),
    ListSpec("name_suffixes", "NameSuffix", "people", "value", {}),
    ListSpec("school_options", "SchoolOption", "people", "value", {
        "beginning_grade": None, "ending_grade": None, "school_types": [], "sequence": 0}),
    ListSpec("campuses", "Campus", "people", "name", CAMPUS_DEFAULTS),
    ListSpec("group_types", "GroupType", "groups", "name", {
        "church_center_map_visible": True, "church_center_visible": True, "color": "#4fd2e3",
        "default_group_settings": {}, "description": None, "position": 0,
        "public_church_center_web_url": None}, writable=False),
    ListSpec("locations", "Location", "groups", "name", {
        "display_preference": "exact", "full_formatted_address": None, "latitude": None,
        "longitude": None, "radius": 0, "strategy": "exact"}, writable=False),
    ListSpec("tag_groups", "TagGroup", "groups", "name", {
        "display_publicly": True, "multiple_options_enabled": True, "position": 0},
        writable=False),
    ListSpec("tags", "Tag", "groups", "name", {"position": 0}, writable=False),
)
BY_COLLECTION = {spec.collection: spec for spec in LISTS}
# Person relationship (and include) -> (the list, the key of the person's record).
PERSON_LINKS = {
    "marital_status": ("marital_statuses", "marital_status_id"),
    "inactive_reason": ("inactive_reasons", "inactive_reason_id"),
    "name_prefix": ("name_prefixes", "name_prefix_id"),
    "name_suffix": ("name_suffixes", "name_suffix_id"),
    "school": ("school_options", "school_id"),
    "primary_campus": ("campuses", "primary_campus_id"),
}


def item_attributes(spec):
    """(record, ctx) -> attributes, alphabetical like PCO's bodies."""
    def attributes(record, ctx):
        attrs = {spec.value: record.get(spec.value)}
        for name, default in spec.defaults.items():
            value = record.get(name, default)
            attrs[name] = iso(value) if name in _TIMES else value
        return dict(sorted(attrs.items()))
    return attributes


def self_path(spec):
    return lambda record: f"/{spec.product}/v2/{spec.collection}/{record['id']}"


def linked_item(collection, key):
    """An Include's fetch: the list item a record names by `key`, or None."""
    return lambda ctx, record: ctx.db.lists[collection].get(record.get(key))


def tag_relationships(tag, ctx):
    return {"tag_group": {"data": {"type": "TagGroup", "id": str(tag["tag_group_id"])}}}
