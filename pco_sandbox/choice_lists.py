"""The small lists over HTTP: People's choice lists and campuses (read and written, as PCO
allows), Groups' group types, locations, tag groups and tags (read only), and a tag group's or
a group's tags."""
from flask import Blueprint

from . import jsonapi
from .choice_list_kinds import LISTS
from .payloads import read_attributes
from .pipeline import runtime
from .views import list_response, parent_ref, show_response

bp = Blueprint("sandbox_lists", __name__)


def list_items(collection, path):
    return list_response(collection, lambda store: store.db.lists[collection].values(), path)


def show_item(collection, item_id):
    return show_response(collection, lambda store: store.get_list_item(collection, item_id))


def create_item(collection, assignable):
    _, attributes = read_attributes(assignable)
    item = runtime().store.create_list_item(collection, attributes)
    return show_response(collection, lambda store: item, status=201)


def update_item(collection, item_id, assignable):
    runtime().store.get_list_item(collection, item_id)
    _, attributes = read_attributes(assignable)
    item = runtime().store.update_list_item(collection, item_id, attributes)
    return show_response(collection, lambda store: item)


def delete_item(collection, item_id):
    runtime().store.delete_list_item(collection, item_id)
    return jsonapi.no_content()


@bp.get("/groups/v2/tag_groups/<int:tag_group_id>/tags")
def tag_group_tags(tag_group_id):
    def tags(store):
        store.get_list_item("tag_groups", tag_group_id)
        return [t for t in store.db.lists["tags"].values() if t["tag_group_id"] == tag_group_id]
    return list_response("tags", tags, f"/groups/v2/tag_groups/{tag_group_id}/tags",
                         parent_of=lambda store: parent_ref("TagGroup", tag_group_id))


@bp.get("/groups/v2/groups/<int:group_id>/tags")
def group_tags(group_id):
    def tags(store):
        wanted = store.get_group(group_id).get("tag_ids") or []
        return [t for t in store.db.lists["tags"].values() if t["id"] in wanted]
    return list_response("tags", tags, f"/groups/v2/groups/{group_id}/tags",
                         parent_of=lambda store: parent_ref("Group", group_id))


def _register(spec):
    collection = spec.collection
    path = f"/{spec.product}/v2/{collection}"
    assignable = frozenset({spec.value, *spec.defaults}) - {"created_at", "updated_at"}
    routes = [(path, "GET", "list", lambda: list_items(collection, path)),
              (f"{path}/<int:item_id>", "GET", "show",
               lambda item_id: show_item(collection, item_id))]
    if spec.writable:
        routes += [
            (path, "POST", "create", lambda: create_item(collection, assignable)),
            (f"{path}/<int:item_id>", "PATCH", "update",
             lambda item_id: update_item(collection, item_id, assignable)),
            (f"{path}/<int:item_id>", "DELETE", "delete",
             lambda item_id: delete_item(collection, item_id))]
    for rule, method, action, view in routes:
        bp.add_url_rule(rule, f"{action}_{collection}", view, methods=[method])


for _spec in LISTS:
    _register(_spec)
