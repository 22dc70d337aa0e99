"""What a batch loads before applying a chunk of deliveries: the people, groups (with their
memberships), families (with their members and address), contact points and pending removals
the payloads name, each kind with one query for the whole chunk instead of a few per delivery.
The handlers find them through common.memo, common.local_person and merge.contacts_by_pco_id;
what is not loaded here they read themselves.

The rows a chunk may write (people, families, contact points) are read FOR UPDATE, so that
their UPDATEs may be widened to one statement per table (uniform_updates)."""
from sqlalchemy import inspect, or_, select
from sqlalchemy.orm.attributes import set_committed_value

from ....extensions import db
from ....models import Family
from ...pull.families import families_by_household_id
from ...pull.groups import groups_by_pco_id
from ...rules.contact_kinds import ADDRESSES, BY_PCO_TYPE
from ...rules.merge import remember_contacts, unknown_contacts
from ...rules.pending_removals import GROUP, HOUSEHOLD, removed_by_kind
from .. import payloads
from ..uniform_updates import loaded_in_transaction, locked
from .common import prefetch_people, related_pco_id, remember, remembered


def prefetch_chunk(payload_list):
    people = prefetch_people(payload_list)
    data_list = [payloads.data_of(payload) for payload in payload_list]
    group_ids = {i for i in _ids(data_list, "Group") | _ids(data_list, "GroupMembership", "group")
                 if not remembered(("group", i))}
    household_ids = {i for i in _ids(data_list, "Household") if not remembered(("family", i))}
    removed = removed_by_kind({GROUP: group_ids, HOUSEHOLD: household_ids})
    _prefetch_groups(group_ids, removed[GROUP])
    families = _prefetch_households(household_ids, removed[HOUSEHOLD])
    for pco_type, kind in BY_PCO_TYPE.items():
        _prefetch_contacts(kind, unknown_contacts(kind, _ids(data_list, pco_type)), people,
                           families if kind is ADDRESSES else [])


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
    """The families read (their address is read with the contact points)."""
    if not ids:
        return []
    held = loaded_in_transaction(Family)
    families = families_by_household_id(ids, for_update=True, with_address=False)
    locked(family for family in families.values() if family.id not in held)
    for household_id in ids:
        remember(("family", household_id), families.get(household_id))
        remember(("removed from household", household_id), removed[household_id])
    return list(families.values())


def _prefetch_contacts(kind, pco_ids, people, families):
    """One query for a kind: the contact points the chunk's own events name (for
    merge.contacts_by_pco_id) and those of its people and families, whose collections are
    filled with them as selectinload would have."""
    people = [person for person in people if kind.name not in inspect(person).dict]
    families = [family for family in families if "address" not in inspect(family).dict]
    model = kind.model
    wanted = [column.in_(ids) for column, ids in (
        (model.pco_id, pco_ids), (model.person_id, [person.id for person in people]),
        (getattr(model, "family_id", None), [family.id for family in families])) if ids]
    if not wanted:
        return
    held = loaded_in_transaction(model)
    rows = db.session.scalars(select(model).where(or_(*wanted)).order_by(model.id)
                              .with_for_update()).all()
    locked(row for row in rows if row.id not in held)
    remember_contacts(kind, pco_ids, rows)
    by_person, by_family = {}, {}
    for row in rows:
        by_person.setdefault(row.person_id, []).append(row)
        by_family.setdefault(getattr(row, "family_id", None), []).append(row)
    for person in people:
        set_committed_value(person, kind.name, by_person.get(person.id, []))
    for family in families:
        set_committed_value(family, "address", next(iter(by_family.get(family.id, [])), None))
