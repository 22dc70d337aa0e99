"""PCO's choice lists and campuses (read once per Sync People) and Groups' tags (once per Sync
Groups), kept locally by rules/choices; and the rare option a person names that is unknown here
(read alone, only then)."""
import logging
from contextlib import closing

from marshmallow import ValidationError

from ...pco.errors import PCONotFound, PCOValidationError
from ...pco.profile_schemas import BY_FIELD, CHOICE_LISTS, load_choice, load_tag
from ...models import GROUP_TAG
from ..rules import choices
from .listing import load_records

log = logging.getLogger("pcosync.pull")
# A list PCO does not serve to these credentials is reported, not fatal: people still sync.
SKIPPABLE = (PCONotFound, PCOValidationError)


def pull_choice_lists(client, progress):
    """One request per list (a list of up to 100 options): 6 in all for most churches."""
    for choice in CHOICE_LISTS:
        try:
            listed = _read_list(client.iter_choices(choice), lambda r, c=choice: load_choice(r, c),
                                choice.pco_type, progress)
        except SKIPPABLE as err:
            progress.issue(choice.pco_type, f"PCO's list of {choice.label} options could not be "
                           f"read, so the options offered here may be out of date: {err}")
            continue
        choices.learn_all(choice.field, {item["pco_id"]: item["value"] for item in listed})
        choices.forget_missing(choice.field, {item["pco_id"] for item in listed})
    # Committed with the first page of people (a cancel still keeps that first page).


def _read_list(pages, loader, record_type, progress):
    return [item for page in pages
            for item in load_records(page.records, loader, record_type, progress)]


def ensure_known(client, records, progress):
    """Read the options the records name by id alone that are unknown here (one request
    each, and only for those): a webhook's person carries `primary_campus` as a bare ref."""
    for field, pco_id in sorted(choices.unknown_ids(records)):
        choice = BY_FIELD[field]
        try:
            item = load_choice(client.get_choice(choice, pco_id), choice)
        except PCONotFound:
            continue  # gone meanwhile: the person's next read says what they hold now
        choices.learn(field, item["pco_id"], item["value"])


def pull_group_tags(client, progress):
    """{tag PCO id: name}: the tag groups, then each one's tags (Groups has no list of all
    tags); they are kept as the group_tag choices, for webhooks to name a group's tags."""
    try:
        names = _read_tags(client, progress)
    except SKIPPABLE as err:
        progress.issue("Tag", f"PCO's group tags could not be read; groups keep the tags they "
                       f"had: {err}")
        return None
    choices.forget_missing(GROUP_TAG, set(names))
    return names


def _read_tags(client, progress):
    """The tag groups, then their tags side by side (at PCO's answer times, one after another
    they were the last requests of a Full Sync waiting on each other)."""
    with closing(client.iter_tags(tag_group_ids(client))) as pages:
        names = {tag["pco_id"]: tag["value"]
                 for tag in _read_list(pages, load_tag, "Tag", progress)}
    choices.learn_all(GROUP_TAG, names)
    return names


def tag_group_ids(client):
    """The ids of PCO's tag groups (one page: a church has a handful)."""
    return [tag_group["id"] for page in client.iter_tag_groups() for tag_group in page.records
            if isinstance(tag_group, dict) and tag_group.get("id") is not None]


def group_tag_names(client, group_pco_id, tag_ids):
    """The names of a group's tags, from the local list; the group's own tag list is read (one
    request) only when one of them is unknown here."""
    known = choices.index().values[GROUP_TAG]
    if any(tag_id not in known for tag_id in tag_ids):
        for page in client.iter_group_tags(group_pco_id):
            for tag in page.records:
                try:
                    loaded = load_tag(tag)
                except ValidationError:
                    continue  # a malformed tag is simply not named
                choices.learn(GROUP_TAG, loaded["pco_id"], loaded["value"])
        known = choices.index().values[GROUP_TAG]
    return [known[tag_id] for tag_id in tag_ids if tag_id in known]
