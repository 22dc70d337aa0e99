"""The family rules both directions share: which address is a family's, and the state hash of
a household. Pull and push must compute these alike, or our own push's echo stops being
Skipped."""
from .contact_kinds import ADDRESSES
from .state import digest

FAMILY_ADDRESS_FIELDS = tuple(name for name in ADDRESSES.fields if name != "is_primary")


def primary_address_row(person):
    """The address PCO's household takes from its primary contact: their primary address,
    else their first one."""
    if person is None or not person.addresses:
        return None
    return next((item for item in person.addresses if item.is_primary), person.addresses[0])


def address_values(address):
    if address is None:
        return None
    return {name: getattr(address, name) for name in FAMILY_ADDRESS_FIELDS}


def family_state(name, member_pco_ids, primary_pco_id, address):
    """`address`: the family address's values (address_values), or None."""
    return digest({"name": name, "members": sorted(member_pco_ids),
                   "primary": primary_pco_id, "address": address})
