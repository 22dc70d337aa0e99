"""A person PCO sends as it was when last agreed is skipped before it is loaded.

Beside the state agreed with PCO, a person keeps the version of PCO's record it was agreed from
(`Person.pco_version_stamp`): pco/versions.py's digest of the record as PCO sent it, salted with
this module's recipe. The recipe names what else turns a record into a state here: the loading
and the state's shape (STATE_RECIPE and the fields the state holds), the custom fields that sync
and how, and the date format PCO writes their dates in. When any of them changes, every stamp is
stale: the next pull loads and compares everyone once, as it did before stamps, and stamps them
again (merge.keep_versions).
"""
import hashlib

from flask import current_app

from ...pco.versions import person_version
from . import custom_fields, lookups
from .choices import RELATION_FIELDS
from .contact_kinds import CONTACT_KINDS
from .state import PLAIN_FIELDS

# Bump when loading a PCO person (pco/schemas.load_person) or the state made from the record
# (rules/state.py) changes what a record means here; tests/rules/test_versions.py holds a
# record's state for each recipe and fails until this moves with it.
STATE_RECIPE = 1
_CACHE_KEY = "pcosync.state_recipe"


def recipe():
    """This transaction's recipe (or the pull's: rules/lookups), a short digest."""
    return lookups.cached(_CACHE_KEY, _recipe)


def _recipe():
    fields = sorted((field.pco_id, field.data_type, field.synced)
                    for field in custom_fields.index().by_pco.values())
    parts = (STATE_RECIPE, PLAIN_FIELDS, RELATION_FIELDS,
             [(kind.name, kind.fields) for kind in CONTACT_KINDS], fields,
             current_app.config.get("PCO_DATE_FORMAT"))
    return hashlib.blake2b(repr(parts).encode(), digest_size=8).hexdigest()


def stamp(version):
    """What a person agreed from this version of PCO's record keeps (None: no version)."""
    if version is None:
        return None
    return hashlib.blake2b((version + recipe()).encode(), digest_size=16).hexdigest()


def sent_as_agreed(resources, held):
    """PCO ids of `resources` (people as PCO sent them) that are the version last agreed;
    `held`: the linked people's rows by PCO id, with their stamps (erasures.linked_and_erased).
    Only a person stamped is looked at: a first pull digests nothing here."""
    found = set()
    for resource in resources:
        pco_id = str(resource.get("id")) if isinstance(resource, dict) else None
        row = held.get(pco_id)
        if (row is not None and row.pco_version_stamp is not None
                and stamp(person_version(resource)) == row.pco_version_stamp):
            found.add(pco_id)
    return found
