"""Household events: the household applied from its payload (its people and primary contact
included), read from PCO when the payload lacks them, archived when destroyed."""
from ....models import utcnow
from ....pco import schemas
from ...pull.families import apply_household, find_family, removed_from_households
from ...rules.merge import SKIPPED
from ...rules.review_items import file_archived_by_pco
from .. import payloads
from ..reads import or_none, read_then_apply
from .common import INCOMPLETE, TIED, local_person, memo, payload_data, remember
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
    """With the family, its people and its pending removals the batch loaded (prefetch.py), or
    read here."""
    household_id = record["pco_household_id"]
    people = {pco_id: person for pco_id in
              {*record["member_pco_ids"], record["primary_contact_pco_id"]}
              if (person := local_person(pco_id)) is not None}
    record, outside = household_outside_scope(record, people)
    if outside:
        return outside
    removed = memo(("removed from household", household_id),
                   lambda: removed_from_households([household_id]).get(household_id, set()))
    family = memo(("family", household_id), lambda: find_family(household_id))
    outcome, family = apply_household(record, family, people, log, removed)
    remember(("family", household_id), family)  # a new one is found by the next delivery
    return outcome


def household_reread(client, payload, log):
    return read_household(client, log, str(payload_data(payload)["id"]), TIED)


def household_destroyed(client, payload, log):
    household_id = str(payload_data(payload)["id"])
    family = memo(("family", household_id), lambda: find_family(household_id))
    if family is None or family.archived_at is not None:
        return SKIPPED
    family.archived_at = utcnow()
    file_archived_by_pco(log, "Household", family, family.pco_household_id)
    return "archived"
