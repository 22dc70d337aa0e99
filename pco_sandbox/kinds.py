"""The registry of resource kinds the sandbox serves (see resources.Kind)."""
from . import attendance_kinds, field_kinds, note_kinds
from . import choice_list_kinds as lists
from . import resources as r
from .resources import Include, Kind

PERSON_CAN_INCLUDE = (
    "addresses", "emails", "field_data", "households", "inactive_reason", "marital_status",
    "name_prefix", "name_suffix", "organization", "person_apps", "phone_numbers",
    "platform_notifications", "primary_campus", "school", "social_profiles",
)
PERSON_CAN_ORDER_BY = (
    "given_name", "first_name", "nickname", "middle_name", "last_name", "birthdate",
    "anniversary", "gender", "grade", "child", "school_type", "graduation_year",
    "site_administrator", "accounting_administrator", "people_permissions", "membership",
    "inactivated_at", "status", "created_at", "updated_at", "remote_id",
)
PERSON_CAN_QUERY_BY = PERSON_CAN_ORDER_BY[:-3] + (
    "medical_notes", "primary_campus_id", "created_at", "updated_at", "search_name",
    "search_name_or_email",
    "search_name_or_email_or_phone_number", "search_phone_number", "search_phone_number_e164",
    "remote_id", "id",
)
CONTACT_QUERY = {
    "emails": ("address", "blocked", "created_at", "location", "primary", "updated_at"),
    "phone_numbers": ("carrier", "created_at", "location", "number", "primary", "updated_at"),
    # PCO lists no where[updated_at] for addresses (facts 2.2): only ordering by it.
    "addresses": ("city", "location", "primary", "state", "zip", "street_line_1"),
}
CONTACT_ORDER = {
    "emails": CONTACT_QUERY["emails"],
    "phone_numbers": CONTACT_QUERY["phone_numbers"],
    "addresses": CONTACT_QUERY["addresses"] + ("created_at", "updated_at"),
}


def _contacts(kind):
    return lambda ctx, record: ctx.db.contacts_of(kind, record["id"])


def _person_of(ctx, record):
    return ctx.db.people.get(record["person_id"])


def _household_people(ctx, household):
    db = ctx.db
    return [db.people.rows[m["person_id"]] for m in db.members_of_household(household["id"])]


def _contact_kind(kind, type_name):
    return Kind(
        name=kind, type=type_name, self_path=lambda c, k=kind: f"/people/v2/{k}/{c['id']}",
        attributes=r.contact_attributes(kind), relationships=r._owned_by_person,
        includes={"person": Include("people", False, _person_of)},
        can_order_by=CONTACT_ORDER[kind], can_query_by=CONTACT_QUERY[kind])


def _list_kind(spec):
    query = (spec.value,) if spec.value == "value" else ()
    return Kind(
        name=spec.collection, type=spec.type, self_path=lists.self_path(spec),
        attributes=lists.item_attributes(spec),
        relationships=lists.tag_relationships if spec.collection == "tags" else None,
        can_order_by=(spec.value,), can_query_by=query + ("id",))


PERSON_CHOICE_INCLUDES = {
    name: Include(collection, False, lists.linked_item(collection, key))
    for name, (collection, key) in lists.PERSON_LINKS.items()}


def _subscription_kind(collection, type_name):
    return Kind(
        name=collection, type=type_name,
        self_path=lambda s, c=collection: f"/webhooks/v2/{c}/{s['id']}",
        attributes=r.webhook_subscription_attributes, relationships=lambda s, ctx: {},
        can_query_by=("application_id",))


KINDS = {
    "people": Kind(
        name="people", type="Person", self_path=lambda p: f"/people/v2/people/{p['id']}",
        attributes=r.person_attributes, relationships=r._person_relationships,
        includes={
            "emails": Include("emails", True, _contacts("emails")),
            "phone_numbers": Include("phone_numbers", True, _contacts("phone_numbers")),
            "addresses": Include("addresses", True, _contacts("addresses")),
            "households": Include("households", True,
                                  lambda ctx, p: ctx.db.households_of(p["id"])),
            "organization": Include("organization", False, lambda ctx, p: ctx.organization),
            "field_data": field_kinds.PERSON_FIELD_DATA,
            **PERSON_CHOICE_INCLUDES,
        },
        can_order_by=PERSON_CAN_ORDER_BY, can_query_by=PERSON_CAN_QUERY_BY,
        can_filter=("created_since", "admins", "organization_admins")),
    "emails": _contact_kind("emails", "Email"),
    "phone_numbers": _contact_kind("phone_numbers", "PhoneNumber"),
    "addresses": _contact_kind("addresses", "Address"),
    "households": Kind(
        name="households", type="Household",
        self_path=lambda h: f"/people/v2/households/{h['id']}",
        attributes=r.household_attributes, relationships=r._household_relationships,
        includes={"people": Include("people", True, _household_people)},
        can_order_by=("created_at", "member_count", "name", "primary_contact_name",
                      "updated_at"),
        can_query_by=("created_at", "member_count", "name", "primary_contact_name",
                      "updated_at")),
    "household_memberships": Kind(
        name="household_memberships", type="HouseholdMembership",
        self_path=lambda m: (f"/people/v2/households/{m['household_id']}"
                             f"/household_memberships/{m['id']}"),
        attributes=r.household_membership_attributes,
        relationships=r._household_membership_relationships,
        includes={"person": Include("people", False, _person_of),
                  "household": Include("households", False,
                                       lambda ctx, m: ctx.db.households.get(m["household_id"]))},
        can_order_by=("pending",), can_query_by=("pending",)),
    "groups": Kind(
        name="groups", type="Group", self_path=lambda g: f"/groups/v2/groups/{g['id']}",
        attributes=r.group_attributes, relationships=r._group_relationships,
        on_request=r.group_requested_attributes,
        includes={"group_type": Include("group_types", False,
                                        lists.linked_item("group_types", "group_type_id")),
                  "location": Include("locations", False,
                                      lists.linked_item("locations", "location_id"))},
        can_order_by=("name", "created_at", "updated_at", "memberships_count"),
        can_query_by=("name", "archive_status"),
        can_filter=("my_groups", "published", "group_type", "tag")),
    "group_memberships": Kind(
        name="group_memberships", type="Membership",
        self_path=lambda m: f"/groups/v2/groups/{m['group_id']}/memberships/{m['id']}",
        attributes=r.group_membership_attributes,
        relationships=r._group_membership_relationships,
        includes={"person": Include("groups_people", False, _person_of),
                  "group": Include("groups", False,
                                   lambda ctx, m: ctx.db.groups.get(m["group_id"]))},
        can_order_by=("joined_at", "role"), can_query_by=("role", "joined_at")),
    "groups_people": Kind(
        name="groups_people", type="Person", self_path=lambda p: f"/groups/v2/people/{p['id']}",
        attributes=r.groups_person_attributes,
        can_order_by=("first_name", "last_name"),
        can_query_by=("first_name", "last_name", "search_name")),
    "organization": Kind(
        name="organization", type="Organization", self_path=lambda o: "/people/v2",
        attributes=r.organization_attributes),
    # People 2025-11-10: read-only, ordered and queried by created_at (mergers never change).
    "person_mergers": Kind(
        name="person_mergers", type="PersonMerger",
        self_path=lambda m: f"/people/v2/person_mergers/{m['id']}",
        attributes=r.person_merger_attributes, relationships=r._person_merger_relationships,
        can_order_by=("created_at",),
        can_query_by=("created_at", "person_to_keep_id", "person_to_remove_id")),
    # Webhooks 2022-10-20 names them WebhookSubscription; the 2018-08-01 document, Subscription.
    "webhook_subscriptions": _subscription_kind("webhook_subscriptions", "WebhookSubscription"),
    "subscriptions": _subscription_kind("subscriptions", "Subscription"),
    "available_events": Kind(
        name="available_events", type="AvailableEvent",
        self_path=lambda e: f"/webhooks/v2/available_events/{e['id']}",
        attributes=r.available_event_attributes, relationships=lambda e, ctx: {},
        can_query_by=("name", "app", "resource", "action")),
    **{spec.collection: _list_kind(spec) for spec in lists.LISTS},
    **field_kinds.KINDS,
    **note_kinds.KINDS,
    **attendance_kinds.KINDS,
}


def _with_people_lists():
    from .people_lists import KINDS as LIST_KINDS
    KINDS.update(LIST_KINDS)


_with_people_lists()
