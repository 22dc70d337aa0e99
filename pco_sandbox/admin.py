"""Admin routes under /sandbox: local-only controls for tests, demo and benchmarks.

No auth, no rate limit, no faults, not counted in the stats.
"""
from flask import Blueprint, request

from .dump import counts, dump
from .mutator import mutate
from .pipeline import json_body, runtime

bp = Blueprint("sandbox_admin", __name__, url_prefix="/sandbox")
CONFIG_KEYS = frozenset({"rate_limit", "rate_period", "rate_period_format", "faults",
                         "webhook_url", "webhook_secret", "webhook_retry_delays",
                         "webhook_paths", "token_user_permissions"})


def _body():
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}


@bp.get("/health")
def health():
    return json_body({"ok": True, "people": len(runtime().store.db.people)})


@bp.post("/mutate")
def mutate_data():
    """{"count", "seed", "custom_fields": true to mix in custom field edits}."""
    body = _body()
    rt = runtime()
    rt.remember_base_url(request.host_url)
    changes = mutate(rt.store, body.get("count", 10), body.get("seed"),
                     custom_fields=bool(body.get("custom_fields")))
    return json_body({"count": len(changes), "changes": changes})


@bp.post("/merge")
def merge_people():
    """Merge two people as PCO's UI does (PCO's API cannot): {"keep": id, "remove": id}."""
    body = _body()
    try:
        keep, remove = int(body["keep"]), int(body["remove"])
    except (KeyError, TypeError, ValueError):
        return json_body({"error": "give the ids to keep and to remove"}, status=400)
    runtime().remember_base_url(request.host_url)
    merger = runtime().store.merge_people(keep, remove)
    return json_body({"id": str(merger["id"]), "person_to_keep_id": str(keep),
                      "person_to_remove_id": str(remove)})


@bp.get("/stats")
def stats():
    return json_body(runtime().stats_snapshot())


@bp.post("/stats/reset")
def reset_stats():
    runtime().reset_stats()
    return json_body(runtime().stats_snapshot())


@bp.get("/config")
def show_config():
    return json_body(runtime().settings())


@bp.post("/config")
def change_config():
    body = _body()
    unknown = sorted(set(body) - CONFIG_KEYS)
    if unknown:
        return json_body({"error": f"unknown settings: {unknown}",
                          "allowed": sorted(CONFIG_KEYS)}, status=400)
    try:
        return json_body(runtime().reconfigure(body))
    except (TypeError, ValueError) as exc:
        return json_body({"error": str(exc)}, status=400)


@bp.post("/reset")
def reset():
    body = _body()
    result = runtime().reset(body.get("people"), body.get("seed"), body.get("now"))
    return json_body(result)


@bp.get("/dump")
def dump_data():
    rt = runtime()
    rt.remember_base_url(request.host_url)
    return json_body(dump(rt.store, rt.context().file_url))


@bp.get("/counts")
def count_data():
    """The sizes of the listings (dump.counts), cheap at any size."""
    return json_body(counts(runtime().store))


@bp.get("/webhooks")
def webhooks():
    """Deliveries sent so far; `?wait=<seconds>` first waits for the queue to drain."""
    rt = runtime()
    idle = rt.webhooks.wait_idle(float(request.args.get("wait", 0) or 0))
    return json_body({"idle": idle, "status": rt.webhooks.snapshot(),
                      "deliveries": list(rt.store.sent_deliveries)})
