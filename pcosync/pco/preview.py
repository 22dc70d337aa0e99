"""A preview of the writes a sync would send: reads go to PCO as usual, writes never leave.

PreviewTransport stands in for the Transport of a PCOClient made with `preview=True`. A GET is
sent; a POST, PATCH or DELETE is recorded (method, path, attributes) and answered with what
PCO would most likely answer, so the code that pushes goes on exactly as in a real run:
- POST: the resource as sent, with an id like "preview-1" and `updated_at` now;
- PATCH: the resource as PCO holds it (one GET) with the sent attributes laid over it, or the
  sent attributes alone when that read fails (a resource that exists only in this preview);
- DELETE: nothing, as PCO's 204.
"""
from collections import Counter
from datetime import datetime, timezone

from .errors import PCOError

WRITE_METHODS = ("POST", "PATCH", "DELETE")
FIRST_WRITES = 50  # recorded in full; the rest are only counted
PREVIEW_ID_PREFIX = "preview-"
# Attributes a preview counts but never keeps: a note's text is pastoral data.
PRIVATE_ATTRIBUTES = {"Note": frozenset({"note"})}


class PreviewTransport:
    """Wraps a Transport: the same reads, recorded writes (see the module's docstring)."""

    def __init__(self, transport, keep=FIRST_WRITES, clock=None):
        self.inner = transport
        self.keep = keep
        self.writes = []  # the first `keep` would-be writes, in order
        self.counts = Counter()  # "POST Person" -> how many
        self._ids = 0
        self._clock = clock or (lambda: datetime.now(timezone.utc))

    def __getattr__(self, name):  # base_url, limiter, session, close ... of the real one
        return getattr(self.inner, name)

    def request(self, method, target, params=None, body=None):
        method = method.upper()
        if method not in WRITE_METHODS:
            return self.inner.request(method, target, params=params, body=body)
        path = self.inner.resolve_target(target)[1]
        data = _data(body)
        self._record(method, path, data)
        if method == "POST":
            return self._created(data)
        if method == "PATCH":
            return self._updated(target, path, data)
        return None

    def summary(self):
        """What the preview would have sent: {"total", "by_kind", "first"}, JSON-ready."""
        return {"total": sum(self.counts.values()), "by_kind": dict(sorted(self.counts.items())),
                "first": list(self.writes)}

    def _record(self, method, path, data):
        kind = f"{method} {data.get('type') or _collection(path)}"
        self.counts[kind] += 1
        if len(self.writes) < self.keep:
            self.writes.append({"method": method, "path": path,
                                "type": data.get("type"),
                                "attributes": _shown_attributes(data),
                                "relationships": _relationship_ids(data)})

    def _created(self, data):
        self._ids += 1
        now = self._stamp()
        attributes = {**(data.get("attributes") or {}), "created_at": now, "updated_at": now}
        return {"data": {"type": data.get("type"), "id": f"{PREVIEW_ID_PREFIX}{self._ids}",
                         "attributes": attributes,
                         "relationships": dict(data.get("relationships") or {})}}

    def _updated(self, target, path, data):
        current = self._current(target)
        attributes = {**(current.get("attributes") or {}), **(data.get("attributes") or {}),
                      "updated_at": self._stamp()}
        relationships = {**(current.get("relationships") or {}),
                         **(data.get("relationships") or {})}
        return {"data": {"type": current.get("type") or data.get("type"),
                         "id": str(current.get("id") or data.get("id") or _resource_name(path)),
                         "attributes": attributes, "relationships": relationships}}

    def _current(self, target):
        """The resource as PCO holds it now, or {} (made in this preview, or unreadable)."""
        if _resource_name(target).startswith(PREVIEW_ID_PREFIX):
            return {}
        try:
            body = self.inner.request("GET", target)
        except PCOError:
            return {}
        data = body.get("data") if isinstance(body, dict) else None
        return data if isinstance(data, dict) else {}

    def _stamp(self):
        return self._clock().strftime("%Y-%m-%dT%H:%M:%SZ")


def _shown_attributes(data):
    private = PRIVATE_ATTRIBUTES.get(data.get("type"), ())
    return {name: value for name, value in (data.get("attributes") or {}).items()
            if name not in private}


def _data(body):
    data = body.get("data") if isinstance(body, dict) else None
    return data if isinstance(data, dict) else {}


def _resource_name(path):
    """The last segment of a path: a resource's id."""
    return str(path).rstrip("/").rsplit("/", 1)[-1]


def _collection(path):
    """"/people/v2/emails/12" -> "emails": what a DELETE (which has no body) removes."""
    segments = str(path).strip("/").split("/")
    return segments[-2] if len(segments) > 1 else segments[-1]


def _relationship_ids(data):
    """{"people": ["1", "2"], "primary_contact": "1"}: who a write links, not the whole refs."""
    found = {}
    for name, relationship in (data.get("relationships") or {}).items():
        linked = relationship.get("data") if isinstance(relationship, dict) else None
        if isinstance(linked, list):
            found[name] = [str(item.get("id")) for item in linked if isinstance(item, dict)]
        elif isinstance(linked, dict):
            found[name] = str(linked.get("id"))
    return found
