"""The sync scope in webhooks (rules/scope.py, pull/scope.py): a delivery about a person
outside it is ignored with the reason and no request; a list's results move people in and out.

PCO fires `list_result.created` only on a person's first entry into a list, and
`list_result.destroyed` when a refresh drops them (facts 2.6): entering brings the person in
(read from PCO and applied like a pull's record, their out-of-scope mark cleared), leaving
marks them out of the scope unless another chosen list still holds them (the next Sync People
settles that too). `list.refreshed` is acknowledged: its results come as their own events.
"""
from ...rules.merge import SKIPPED
from ...rules.scope import (
    current_scope, household_in_scope, inside_pull_scope, pull_narrowed, why_not_followed,
    why_not_pulled,
)
from ...pull.scope import bring_back, mark_out
from .common import Ignored, local_person, memo, payload_data, read_person, related_pco_id


def outside_scope(data, person):
    """An Ignored note when the person this payload carries is outside the pull scope (a
    linked person a filter now leaves out is marked out of it); None when in scope."""
    why = why_not_pulled(data, person)
    if why is None:
        return None
    if person is not None and person.out_of_scope_since is None:
        mark_out([person.pco_id])
    return Ignored(f"outside the sync scope: {why}")


def narrowed():
    """Whether the pull scope is narrower than all of PCO (read once per batch)."""
    return memo("pull scope narrowed", pull_narrowed)


def belongs_outside_scope(pco_id, person):
    """An Ignored note when a payload's record (a contact point, a group membership) belongs to
    a person outside the pull scope, or not here under a narrowed one; None otherwise. No
    request: a person not here is outside the scope or not pulled yet (the next Sync People
    decides), and nothing of theirs is made or removed."""
    why = why_not_followed(pco_id, person) if narrowed() else None
    return None if why is None else Ignored(f"outside the sync scope: {why}")


def household_outside_scope(record, people):
    """(the household's record as the pull scope takes it, None), or (None, an Ignored note)
    when none of its people is inside the scope: not created, and one held is left as it is.
    `people`: the local people it names, by PCO id."""
    if not narrowed():
        return record, None
    taken = household_in_scope(record, {i: inside_pull_scope(p) for i, p in people.items()})
    if taken is None:
        return None, Ignored(f"outside the sync scope: none of household "
                             f"{record['pco_household_id']}'s people is inside it")
    return taken, None


def new_group_outside_scope():
    """An Ignored note for a group not here under a narrowed pull scope (no request): it comes
    with its first membership of a person inside the scope."""
    if narrowed():
        return Ignored("outside the sync scope: a group not here yet comes with its first "
                       "member inside the scope")
    return None


def _chosen_list(data):
    """The scope's list this list result belongs to, or None."""
    scope = current_scope()
    list_id = related_pco_id(data, "list")
    if scope is None or not scope.pull_lists or list_id is None:
        return None
    return next((item for item in scope.pull_lists if str(item["pco_id"]) == list_id), None)


def list_result_created(client, payload, log):
    data = payload_data(payload)
    chosen, pco_id = _chosen_list(data), related_pco_id(data, "person")
    if chosen is None or pco_id is None:
        return Ignored("not a list the sync scope is made of")
    bring_back([pco_id])
    return read_person(client, log, pco_id, f"entered the PCO list “{chosen['name']}”")


def list_result_destroyed(client, payload, log):
    data = payload_data(payload)
    chosen, pco_id = _chosen_list(data), related_pco_id(data, "person")
    if chosen is None or pco_id is None:
        return Ignored("not a list the sync scope is made of")
    person = local_person(pco_id)
    if person is None or person.out_of_scope_since is not None:
        return SKIPPED
    if len(current_scope().pull_lists) > 1:
        return Ignored(f"left “{chosen['name']}”; another chosen list may hold them: the next "
                       "Sync People decides")
    mark_out([pco_id])
    return f"left the PCO list “{chosen['name']}”: outside the sync scope (nothing changed)"


def list_refreshed(client, payload, log):
    return Ignored("a list refreshed: the people entering and leaving come as list results")
