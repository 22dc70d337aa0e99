"""Household events: the household applied from its payload (its people and primary contact
included), read from PCO when the payload lacks them, archived when destroyed."""
from ....models import utcnow
from ....pco import schemas
from ...pull.families import apply_household, find_family, removed_from_households
from ...pull.listing import people_by_pco_id
from ...rules.merge import SKIPPED
from ...rules.review_items import file_archived_by_pco
from .. import payloads
from ..reads import or_none, read_then_apply
from .common import INCOMPLETE, TIED, payload_data
from .scope import household_outside_scope


def household_changed(client, payload, log):
    data = payload_data(payload)
    if not payloads.carries_household(data):
        return read_household(client, log, str(data["id"]), INCOMPLETE)
    return apply_household_record(schemas.load_household(data), log)


def read_household(client, log, household_id, reason):
    return read_then_apply(client, log, f"household {household_id}: {reason}",
                           lambda c: or_none(c.get_household, household_id),
                           _apply_read_household, key=("Household", household_id))


def _apply_read_household(resource, client, log):
    if resource is None:
        return "household no longer in PCO"
    return apply_household_record(schemas.load_household(resource), log)


def apply_household_record(record, log):
    household_id = record["pco_household_id"]
    people = people_by_pco_id(record["member_pco_ids"] + [record["primary_contact_pco_id"]])
    record, outside = household_outside_scope(record, people)
    if outside:
        return outside
    removed = removed_from_households([household_id]).get(household_id, set())
    outcome, _ = apply_household(record, find_family(household_id), people, log, removed)
    return outcome


def household_reread(client, payload, log):
    return read_household(client, log, str(payload_data(payload)["id"]), TIED)


def household_destroyed(client, payload, log):
    family = find_family(str(payload_data(payload)["id"]))
    if family is None or family.archived_at is not None:
        return SKIPPED
    family.archived_at = utcnow()
    file_archived_by_pco(log, "Household", family, family.pco_household_id)
    return "archived"
