"""Reading write bodies the way PCO does: the `data` wrapper, assignable attributes, types."""
import re

from flask import request

from . import jsonapi, records

DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
BOOLEAN_FIELDS = frozenset({
    "child", "primary", "pending", "site_administrator", "accounting_administrator",
    "blocked", "active",
})
INTEGER_FIELDS = frozenset({"remote_id", "grade", "graduation_year", "person_id",
                            "primary_contact_id", "primary_campus_id", "gender_id",
                            "member_count", "marital_status_id", "sequence",
                            "field_definition_id", "file_size", "note_category_id"})
CHOICES = {"role": records.GROUP_MEMBERSHIP_ROLES, "household_role": records.HOUSEHOLD_ROLES}


class PayloadError(Exception):
    """Carries the ready PCO error response for a malformed write."""

    def __init__(self, response):
        super().__init__(response.status)
        self.response = response


def read_data():
    """The `data` object of a write body, or PCO's 400 invalid_resource_payload."""
    # PCO reads the body whatever Content-Type the client sent.
    body = request.get_json(force=True, silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("data"), dict):
        raise PayloadError(jsonapi.missing_data_key())
    attributes = body["data"].get("attributes") or {}
    if not isinstance(attributes, dict):
        raise PayloadError(jsonapi.bad_request("data.attributes must be an object"))
    return body["data"]


def read_attributes(assignable, renamed=None):
    """Validated attributes of the write body; unknown ones are PCO's 422 Forbidden Attribute.

    `renamed` maps a refused name to the name PCO reports (`people` -> `people_ids`).
    """
    data = read_data()
    attributes = data.get("attributes") or {}
    renamed = renamed or {}
    forbidden = [renamed.get(name, name) for name in attributes if name not in assignable]
    if forbidden:
        raise PayloadError(jsonapi.forbidden_attributes(forbidden))
    return data, {name: coerce(name, value) for name, value in attributes.items()}


def related_id(data, name):
    """Integer id of `relationships.<name>.data` (to-one), or None when absent."""
    linkage = ((data.get("relationships") or {}).get(name) or {}).get("data")
    if not isinstance(linkage, dict):
        return None
    return _integer(name, linkage.get("id"))


def related_ids(data, name):
    """Integer ids of `relationships.<name>.data` (to-many), or [] when absent."""
    linkage = ((data.get("relationships") or {}).get(name) or {}).get("data")
    if not isinstance(linkage, list):
        return []
    return [_integer(name, item.get("id")) for item in linkage if isinstance(item, dict)]


def linked_ids(data, links):
    """{record key: integer id or None} for each to-one relationship of `links` (name ->
    (list, record key)) the body sends; `data: null` clears it."""
    relationships = data.get("relationships") or {}
    found = {}
    for name, (_, key) in links.items():
        relationship = relationships.get(name)
        if not isinstance(relationship, dict) or "data" not in relationship:
            continue
        linkage = relationship["data"]
        if linkage is not None and not isinstance(linkage, dict):
            raise _invalid(name)
        found[key] = None if linkage is None else _integer(name, linkage.get("id"))
    return found


def coerce(name, value):
    if value is None:
        return None
    if name in BOOLEAN_FIELDS:
        return _boolean(name, value)
    if name in INTEGER_FIELDS:
        return _integer(name, value)
    if name in records.DATE_FIELDS:
        return _date(name, value)
    if name in records.TIME_FIELDS:
        return _time(name, value)
    if name in CHOICES and value not in CHOICES[name]:
        raise _invalid(name)
    return value


def _boolean(name, value):
    if isinstance(value, bool):
        return value
    if str(value).lower() in ("true", "false"):
        return str(value).lower() == "true"
    raise _invalid(name)


def _integer(name, value):
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        raise _invalid(name) from None


def _date(name, value):
    if value == "":
        return None
    if not isinstance(value, str) or not DATE_PATTERN.match(value):
        raise _invalid(name)
    return value


def _time(name, value):
    stamp = records.parse_time(value)
    if stamp is None:
        raise _invalid(name)
    return int(stamp)


def _invalid(name):
    return PayloadError(jsonapi.validation_error("is invalid", parameter=name))
