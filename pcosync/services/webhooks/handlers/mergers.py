"""Person merger events: PCO merged two people."""
from ...rules.mergers import apply_person_merger
from .common import payload_data, related_pco_id


def person_merged(client, payload, log):
    """PCO merged two people: the removed one's local links move to the kept one."""
    data = payload_data(payload)
    attributes = data.get("attributes") or {}
    keep_id = attributes.get("person_to_keep_id") or related_pco_id(data, "person_to_keep")
    remove_id = attributes.get("person_to_remove_id") or related_pco_id(data, "person_to_remove")
    keep_id, remove_id = str(keep_id), str(remove_id)
    return apply_person_merger(keep_id, remove_id, log)
