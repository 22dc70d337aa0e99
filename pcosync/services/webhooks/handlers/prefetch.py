"""What a batch loads before applying a chunk of deliveries: the people, groups (with their
memberships), families (with their members and address), contact points and pending removals
the payloads name, each kind with one query for the whole chunk instead of a few per delivery.
The handlers find them through common.memo, common.local_person and merge.contacts_by_pco_id;
what is not loaded here they read themselves."""
from ....models import Family
from ...pull.families import families_by_household_id
from ...pull.groups import groups_by_pco_id
from ...rules.contact_kinds import BY_PCO_TYPE
from ...rules.merge import load_contacts
from ...rules.pending_removals import GROUP, HOUSEHOLD, removed_by_kind
from .. import payloads
from ..uniform_updates import loaded_in_transaction, locked
from .common import prefetch_people, related_pco_id, remember, remembered


def prefetch_chunk(payload_list):
    prefetch_people(payload_list)
    data_list = [payloads.data_of(payload) for payload in payload_list]
    group_ids = {i for i in _ids(data_list, "Group") | _ids(data_list, "GroupMembership", "group")
                 if not remembered(("group", i))}
    household_ids = {i for i in _ids(data_list, "Household") if not remembered(("family", i))}
    removed = removed_by_kind({GROUP: group_ids, HOUSEHOLD: household_ids})
    _prefetch_groups(group_ids, removed[GROUP])
    _prefetch_households(household_ids, removed[HOUSEHOLD])
    for pco_type, kind in BY_PCO_TYPE.items():  # a contact point's own events
        load_contacts(kind, _ids(data_list, pco_type))


def _ids(data_list, record_type, related=None):
    found = set()
    for data in data_list:
        if data.get("type") == record_type and data.get("id"):
            found.add(str(data["id"]))
        if related is not None:
            found.update(filter(None, [related_pco_id(data, related)]))
    return found


def _prefetch_groups(ids, removed):
    groups = groups_by_pco_id(ids) if ids else {}
    for group_id in ids:
        remember(("group", group_id), groups.get(group_id))
        remember(("removed from group", group_id), removed[group_id])


def _prefetch_households(ids, removed):
    if not ids:
        return
    held = loaded_in_transaction(Family)
    families = families_by_household_id(ids, for_update=True)
    locked(family for family in families.values() if family.id not in held)
    for household_id in ids:
        remember(("family", household_id), families.get(household_id))
        remember(("removed from household", household_id), removed[household_id])
