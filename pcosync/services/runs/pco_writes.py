"""A preview's would-be PCO writes as a person reads them: grouped by the person each write is
for, named as the directory names them, each field by its form label; the HTTP request is
kept for whoever opens it."""
import re

from sqlalchemy import select

from ...extensions import db
from ...models import Person
from ...pco.preview import PREVIEW_ID_PREFIX
from ..labels import field_label, shown_value

PERSON_PATH = re.compile(r"^/people/v2/people/([^/]+)")
VERBS = {"POST": "add", "PATCH": "change", "DELETE": "remove"}
HIDDEN_ATTRIBUTES = {"created_at", "updated_at"}


def by_person(writes):
    """[{"person": name, "writes": [{"what", "fields": [(label, value)], "request"}]}], in the
    order the writes would be sent; writes that are for no person are under "Other"."""
    names = _names(writes)
    groups = {}
    for write in writes:
        match = PERSON_PATH.match(write["path"])
        who = names.get(match.group(1), "a person not here") if match else _created_name(write)
        groups.setdefault(who or "Other", []).append(_readable(write))
    return [{"person": who, "writes": items} for who, items in groups.items()]


def _names(writes):
    """{PCO id: name}: the people linked here, and those the preview would create (the n-th
    POST gets the id "preview-n")."""
    ids = {m.group(1) for w in writes if (m := PERSON_PATH.match(w["path"]))}
    rows = db.session.execute(select(Person.pco_id, Person.first_name, Person.nickname,
                                     Person.last_name).where(Person.pco_id.in_(ids)))
    names = {pco_id: " ".join(p for p in (nick or first, last) if p)
             for pco_id, first, nick, last in rows}
    posts = 0
    for write in writes:
        if write["method"] == "POST":
            posts += 1
            created = _created_name(write)
            if created:
                names[f"{PREVIEW_ID_PREFIX}{posts}"] = created
    return names


def _created_name(write):
    attributes = write.get("attributes") or {}
    if write["method"] != "POST" or write.get("type") != "Person":
        return None
    first = attributes.get("nickname") or attributes.get("first_name")
    return " ".join(p for p in (first, attributes.get("last_name")) if p) or None


def _readable(write):
    kind = (write.get("type") or _collection(write["path"]) or "record")
    noun = "the person" if kind == "Person" else re.sub(r"(?<!^)([A-Z])", r" \1", kind).lower()
    fields = [(field_label(name), shown_value(value))
              for name, value in (write.get("attributes") or {}).items()
              if name not in HIDDEN_ATTRIBUTES]
    return {"what": f"{VERBS.get(write['method'], write['method'])} {noun}", "fields": fields,
            "request": f"{write['method']} {write['path']}"}


def _collection(path):
    return path.rstrip("/").split("/")[-1] if path else None
