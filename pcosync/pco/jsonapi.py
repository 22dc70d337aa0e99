"""JSON:API plumbing shared by the client and the schemas: include resolution and documents."""
from urllib.parse import quote


def path_segment(value) -> str:
    """An id made safe to put in a URL path."""
    return quote(str(value), safe="")


def resource_key(item) -> tuple[str, str] | None:
    """(type, id) of a resource or resource identifier, or None if it is not one."""
    if not isinstance(item, dict):
        return None
    type_, id_ = item.get("type"), item.get("id")
    if not isinstance(type_, str) or id_ is None:
        return None
    return type_, str(id_)


def index_included(included) -> dict[tuple[str, str], dict]:
    """Map (type, id) to each resource in a document's top-level `included` (its `links`
    dropped, see resolve_relationships)."""
    index = {}
    for item in included if isinstance(included, list) else ():
        key = resource_key(item)
        if key is not None:
            item.pop("links", None)
            index[key] = item
    return index


def resolve_relationships(resource, index: dict) -> dict:
    """A shallow copy of `resource` whose relationship refs are replaced by included resources.

    Only one level deep: an included Email keeps its `person` ref, which avoids
    cycles and keeps the copy cheap. Refs missing from `included` stay refs.
    PCO's `links` (a URL for the resource and one for each relationship, which nothing here
    follows) are dropped from the document as it is read, in place (copying every resource
    and relationship without them cost 0.5-0.9 ms a page of people, about as much again as the
    resolving): they were a quarter of a page of people held in memory while it waits to be
    written (pco/prefetch.py).
    """
    if not isinstance(resource, dict):
        return resource
    resource.pop("links", None)
    if not isinstance(resource.get("relationships"), dict):
        return resource
    relationships = {}
    for name, relationship in resource["relationships"].items():
        relationships[name] = _resolve_relationship(relationship, index)
    return {**resource, "relationships": relationships}


def _resolve_relationship(relationship, index: dict):
    if not isinstance(relationship, dict):
        return relationship
    relationship.pop("links", None)
    if not relationship.get("data"):
        return relationship  # nothing to resolve (no data, null, []): no copy either
    data = relationship["data"]
    if isinstance(data, list):
        resolved = [index.get(resource_key(ref), ref) for ref in data]
    elif isinstance(data, dict):
        resolved = index.get(resource_key(data), data)
    else:
        resolved = data
    return {**relationship, "data": resolved}


def resolve_document(document: dict) -> list[dict] | dict | None:
    """The document's primary data (a list or one resource) with relationships resolved."""
    index = index_included(document.get("included"))
    data = document.get("data")
    if isinstance(data, list):
        return [resolve_relationships(item, index) for item in data]
    return resolve_relationships(data, index)


def ref(type_: str, id_) -> dict:
    return {"type": type_, "id": str(id_)}


def document(type_: str, attributes: dict, relationships: dict | None = None, *,
             resource_id=None) -> dict:
    """A write payload: `{"data": {"type", ["id"], "attributes", ["relationships"]}}`.

    Relationships go beside `attributes`, never inside: PCO answers 422
    "relationships cannot be assigned" otherwise.
    """
    data = {"type": type_}
    if resource_id is not None:
        data["id"] = str(resource_id)
    data["attributes"] = dict(attributes)
    if relationships:
        data["relationships"] = relationships
    return {"data": data}
