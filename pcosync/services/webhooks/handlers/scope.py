"""The sync scope in webhooks (rules/scope.py, pull/scope.py): a delivery about a person
outside it is ignored with the reason and no request; a list's results move people in and out.

PCO fires `list_result.created` only on a person's first entry into a list, and
`list_result.destroyed` when a refresh drops them (facts 2.6): entering brings the person in
(read from PCO and applied like a pull's record, their out-of-scope mark cleared), leaving
marks them out of the scope unless another chosen list still holds them (the next Sync People
settles that too). `list.refreshed` is acknowledged: its results come as their own events.
"""
from ...rules.merge import SKIPPED
from ...rules.scope import current_scope, why_not_pulled
from ...pull.scope import bring_back, mark_out
from .common import Ignored, local_person, payload_data, read_person, related_pco_id


def outside_scope(data, person):
    """An Ignored note when the person this payload carries is outside the pull scope (a
    linked person a filter now leaves out is marked out of it); None when in scope."""
    why = why_not_pulled(data, person)
    if why is None:
        return None
    if person is not None and person.out_of_scope_since is None:
        mark_out([person.pco_id])
    return Ignored(f"outside the sync scope: {why}")


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
