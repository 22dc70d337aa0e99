"""How each sandbox record becomes a PCO JSON:API resource.

A `Kind` describes one resource type: its JSON:API type, where it lives, how its
attributes and always-present relationships are built, and what `include=` can reach.
Shapes follow `spec/pco-real-responses/` (People 2025-11-10, Groups 2023-07-10).
"""
from dataclasses import dataclass, field

from . import records
from .records import iso

ORGANIZATION_PARENT_TYPE = "Organization"


@dataclass
class Context:
    """What serialization needs besides the record: absolute URLs and related data."""
    base_url: str
    db: object
    organization: dict
    media: object = None  # media.MediaHosts: where the file hosts' addresses point

    def url(self, path):
        return self.base_url + path

    def file_url(self, url):
        """A photo's or a file's address as PCO answers it (media.py)."""
        return self.media.public_url(url, self) if self.media is not None else url


@dataclass(frozen=True)
class Include:
    kind: str
    many: bool
    fetch: object  # (ctx, record) -> list of records, or one record / None


@dataclass
class Kind:
    name: str
    type: str
    self_path: object  # record -> path
    attributes: object  # (record, ctx) -> dict
    relationships: object = None  # (record, ctx) -> dict of always-present relationships
    includes: dict = field(default_factory=dict)
    can_order_by: tuple = ()
    can_query_by: tuple = ()
    can_filter: tuple = ()
    # (record, ctx) -> attributes only sent when named in `fields[Type]` (PCO: "Only available
    # when requested with the `?fields` param").
    on_request: object = None
    # Attributes a record keeps under another key, as is: `where` and `order` read them there
    # rather than rendering every record's attributes (a listing of thousands, per request).
    stored_as: dict = field(default_factory=dict)


def formatted(record, defaults):
    """Defaults overlaid with the record, times rendered like PCO ("...T17:48:20Z")."""
    attrs = {}
    for key, default in defaults.items():
        value = record.get(key, default)
        attrs[key] = iso(value) if key in records.TIME_FIELDS else value
    return attrs


def ref(type_name, record_id):
    return None if record_id is None else {"type": type_name, "id": str(record_id)}


# -- attributes -----------------------------------------------------------------------

def person_attributes(person, ctx):
    attrs = formatted(person, records.PERSON_DEFAULTS)
    generated_avatar = records.avatar_for(person)
    attrs["avatar"] = ctx.file_url(person.get("avatar") or generated_avatar)
    attrs["demographic_avatar_url"] = ctx.file_url(generated_avatar)
    return attrs


def contact_attributes(kind):
    defaults = records.CONTACT_DEFAULTS[kind]
    return lambda contact, ctx: formatted(contact, defaults)


def household_attributes(household, ctx):
    primary = ctx.db.people.get(household["primary_contact_id"])
    return {
        "avatar": ctx.file_url(household.get("avatar") or records.NO_PHOTO_URL),
        "created_at": iso(household["created_at"]),
        "member_count": len(ctx.db.household_members.ids(household["id"])),
        "name": household["name"],
        "primary_contact_id": str(household["primary_contact_id"]),
        "primary_contact_name": primary.get("name") if primary else None,
        "updated_at": iso(household["updated_at"]),
    }


def household_membership_attributes(membership, ctx):
    person = ctx.db.people.get(membership["person_id"]) or {}
    return {"household_role": membership["household_role"], "pending": membership["pending"],
            "person_name": person.get("name")}


GROUP_LINK_KEYS = frozenset({"id", "group_type_id", "location_id", "tag_ids"})


def group_attributes(group, ctx):
    attrs = {key: value for key, value in group.items() if key not in GROUP_LINK_KEYS}
    attrs["memberships_count"] = len(ctx.db.group_members.ids(group["id"]))
    for key in ("archived_at", "created_at", "updated_at"):
        attrs[key] = iso(group[key])
    return dict(sorted(attrs.items()))


def group_membership_attributes(membership, ctx):
    return {"joined_at": iso(membership["joined_at"]), "role": membership["role"]}


def groups_person_attributes(person, ctx):
    """The Groups product's read-only view of a person (same id as in People)."""
    db = ctx.db
    emails = [{"address": e["address"], "location": e["location"], "primary": e["primary"]}
              for e in db.contacts_of("emails", person["id"])]
    phones = [{"number": p["number"], "location": p["location"], "primary": p["primary"]}
              for p in db.contacts_of("phone_numbers", person["id"])]
    addresses = [formatted(a, {k: None for k in (
        "street_line_1", "street_line_2", "city", "state", "zip", "location", "primary")})
        for a in db.contacts_of("addresses", person["id"])]
    return {
        "addresses": addresses, "avatar_url": records.avatar_for(person),
        "child": bool(person.get("child")), "created_at": iso(person["created_at"]),
        "email_addresses": emails, "first_name": person.get("first_name"),
        "gender": person.get("gender"), "last_name": person.get("last_name"),
        "permissions": "member", "phone_numbers": phones,
    }


def person_merger_attributes(merger, ctx):
    return {"created_at": iso(merger["created_at"]),
            "person_to_keep_id": str(merger["person_to_keep_id"]),
            "person_to_remove_id": str(merger["person_to_remove_id"])}


def webhook_subscription_attributes(subscription, ctx):
    """Webhooks 2022-10-20 (and Subscription before it): the secret is listed too, as PCO does."""
    names = ("active", "application_id", "authenticity_secret", "name", "url")
    attrs = {name: subscription.get(name) for name in names}
    attrs.update(created_at=iso(subscription["created_at"]),
                 updated_at=iso(subscription["updated_at"]))
    return dict(sorted(attrs.items()))


def available_event_attributes(event, ctx):
    """From its name: "people.v2.events.person.updated" is app people, version v2, resource
    person, action updated."""
    parts = event["name"].split(".")
    return {"action": parts[-1], "app": parts[0], "name": event["name"],
            "resource": parts[-2], "version": parts[-4]}


def organization_attributes(organization, ctx):
    attrs = {key: value for key, value in organization.items() if key != "id"}
    attrs["created_at"] = iso(organization["created_at"])
    attrs["avatar_url"] = None
    return dict(sorted(attrs.items()))


# -- relationships --------------------------------------------------------------------

def _person_relationships(person, ctx):
    """Always there, as in PCO's bodies and webhook payloads; the other choices only when
    included."""
    return {"primary_campus": {"data": ref("Campus", person.get("primary_campus_id"))}}


def _owned_by_person(record, ctx):
    return {"person": {"data": ref("Person", record["person_id"])}}


def _household_relationships(household, ctx):
    people = [ref("Person", m["person_id"]) for m in ctx.db.members_of_household(household["id"])]
    return {"people": {"data": people},
            "primary_contact": {"data": ref("Person", household["primary_contact_id"])}}


def _household_membership_relationships(membership, ctx):
    return {"person": {"data": ref("Person", membership["person_id"])},
            "household": {"data": ref("Household", membership["household_id"])}}


def _person_merger_relationships(merger, ctx):
    return {"person_to_keep": {"data": ref("Person", merger["person_to_keep_id"])},
            "person_to_remove": {"data": ref("Person", merger["person_to_remove_id"])}}


def _group_relationships(group, ctx):
    return {"group_type": {"data": ref("GroupType", group.get("group_type_id"))},
            "location": {"data": ref("Location", group.get("location_id"))}}


def group_requested_attributes(group, ctx):
    return {"tag_ids": [int(tag_id) for tag_id in group.get("tag_ids") or []]}


def _group_membership_relationships(membership, ctx):
    return {"group": {"data": ref("Group", membership["group_id"])},
            "person": {"data": ref("Person", membership["person_id"])}}
