"""Merge two local records of one person: the kept one ends up holding everything, nothing is
lost, and the other is archived with a pointer to the kept one."""
from ...extensions import db
from ...models import SYNCED_PERSON_FIELDS, utcnow
from ..rules.contact_kinds import CONTACT_KINDS
from ..rules.mergers import move_links


class MergeRefused(ValueError):
    """The two cannot be merged here; the message says what to do instead."""


# Local operational data: the kept person's value wins, the other's fills a blank, and free
# text is appended so that nothing either record said is lost.
FREE_TEXT_FIELDS = ("allergies",)
KEPT_FIRST_FIELDS = ("photo_url", "verification_status")
PCO_LINK_FIELDS = ("pco_id", "pco_updated_at", "pco_synced_at", "pco_synced_state",
                   "pco_synced_hash")


def merge_people(kept, other):
    if kept.id == other.id:
        raise MergeRefused("A person cannot be merged with themselves.")
    for person in (kept, other):
        if person.merged_into_id is not None:
            into = db.session.get(type(person), person.merged_into_id)
            raise MergeRefused(f"{person.full_name} was already merged into "
                               f"{into.full_name if into else 'another person'}.")
    if kept.pco_id and other.pco_id:
        raise MergeRefused(
            f"Both are linked to PCO people ({kept.pco_id} and {other.pco_id}): merge them in "
            "PCO; PCO's merger then reaches here by itself.")
    _take_pco_link(kept, other)
    _take_contact_points(kept, other)
    _take_field_values(kept, other)
    move_links(other, kept)  # families, groups, primary memberships
    _fill_blanks(kept, other)
    other.archived_at, other.merged_into_id = utcnow(), kept.id


def _take_pco_link(kept, other):
    if other.pco_id is None:
        return
    values = {name: getattr(other, name) for name in PCO_LINK_FIELDS}
    other.pco_id = None
    db.session.flush()  # free the unique PCO id before the kept person takes it
    for name, value in values.items():
        setattr(kept, name, value)


def _take_contact_points(kept, other):
    """Every contact point of the other moves, except one the kept person already has (the
    same value), which stays once, linked to PCO if either copy was."""
    links = []  # (kept copy, PCO id, updated_at): given once the other copy is gone
    with db.session.no_autoflush:
        for kind in CONTACT_KINDS:
            held = {kind.match_key(kind.values(item)): item for item in kind.items(kept)}
            for item in list(kind.items(other)):
                kind.items(other).remove(item)
                same = held.get(kind.match_key(kind.values(item)))
                if same is None:
                    kind.items(kept).append(item)
                elif same.pco_id is None and item.pco_id is not None:
                    links.append((same, item.pco_id, item.pco_updated_at))
    db.session.flush()  # the dropped copies are deleted: their PCO ids are free
    for same, pco_id, updated_at in links:
        same.pco_id, same.pco_updated_at = pco_id, updated_at


def _take_field_values(kept, other):
    """The other's custom-field values fill the kept person's blanks (a ticked option the kept
    person lacks counts as one); the rest stay on the archived record, where nothing is lost."""
    held = {(value.definition_id, value.value) for value in kept.field_values}
    fields = {value.definition_id for value in kept.field_values}
    with db.session.no_autoflush:
        for value in list(other.field_values):
            multiple = value.definition.is_multiple
            if (value.definition_id not in fields
                    or (multiple and (value.definition_id, value.value) not in held)):
                other.field_values.remove(value)
                kept.field_values.append(value)


def _fill_blanks(kept, other):
    for name in SYNCED_PERSON_FIELDS + KEPT_FIRST_FIELDS:
        if getattr(kept, name) in (None, "") and getattr(other, name) not in (None, ""):
            setattr(kept, name, getattr(other, name))
    for name in FREE_TEXT_FIELDS:
        mine, theirs = getattr(kept, name), getattr(other, name)
        if theirs and theirs != mine:
            setattr(kept, name, f"{mine}\n{theirs}" if mine else theirs)
