"""What happens around every PCO API request, in PCO's order of events.

auth (401) -> injected fake 429 -> rate limit (429) -> injected 5xx -> latency -> handler
-> truncation; then the rate headers and the stats. The `/sandbox/*` admin routes skip all
of it: they are for tests and the demo, never faulted, limited or counted.
"""
import hmac
import json

from flask import Response, current_app, g, request

from . import jsonapi
from .media_hosts import FILE_HOSTS_PREFIX
from .stats import route_template

ADMIN_PREFIX = "/sandbox"
BAD_GATEWAY_HTML = ("<html><head><title>502 Bad Gateway</title></head><body>"
                    "<center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center>"
                    "</body></html>")


def runtime():
    return current_app.extensions["pco_sandbox_runtime"]


def register_pipeline(app):
    app.before_request(guard_request)
    app.after_request(finish_response)


def is_admin_request():
    """The admin routes, and the file hosts (public, not the API: media.py)."""
    return request.path == ADMIN_PREFIX or request.path.startswith(ADMIN_PREFIX + "/") \
        or request.path.startswith(FILE_HOSTS_PREFIX + "/")


def guard_request():
    if is_admin_request():
        return None
    rt = runtime()
    rt.remember_base_url(request.host_url)
    credential = g.credential = authenticated_credential(rt.config)
    if credential is None:
        rt.stats.count("unauthorized")
        return jsonapi.error(401, "Unauthorized", "Please provide valid credentials",
                             code="unauthorized")
    if rt.limiter.arrived_too_early(credential):
        rt.stats.count("before_retry_after")
    return _admit(rt, credential)


def _admit(rt, credential):
    """Faults are drawn first, so a write refused here was never applied."""
    fault = g.fault = rt.faults.decide(request.method)
    if fault.kind == "rate_limit":
        return _fake_rate_limit(rt, credential)
    deep = _deep_offset()
    if deep:
        rt.stats.count("past_deep_offset")
    decision = g.rate = rt.limiter.acquire(credential, deep_offset=deep)
    if not decision.allowed:
        rt.stats.count("over_limit")
        return rate_limit_response(decision, rt.rate_period_header())
    if fault.kind == "error":
        rt.stats.count("fault_error")
        return server_error(fault.status)
    if fault.delay:
        slow = fault.delay > rt.faults.settings["latency"]
        rt.stats.count("fault_slow" if slow else "fault_latency")
        rt.faults.wait(fault)
    return None


def authenticated_credential(config):
    auth = request.authorization
    if auth is None or auth.type != "basic":
        return None
    id_ok = hmac.compare_digest(str(auth.username or ""), str(config["SANDBOX_APP_ID"]))
    secret_ok = hmac.compare_digest(str(auth.password or ""), str(config["SANDBOX_SECRET"]))
    return auth.username if id_ok and secret_ok else None


def _deep_offset():
    try:
        return int(request.args.get("offset", 0)) > 30_000
    except ValueError:
        return False


def _fake_rate_limit(rt, credential):
    rt.stats.count("fault_rate_limit")
    seconds = float(rt.faults.settings["fake_retry_after"])
    rt.limiter.told_to_wait(credential, seconds)
    decision = rt.limiter.current(credential)
    decision.count = max(decision.count, decision.limit) + 1
    decision.retry_after = seconds
    return rate_limit_response(decision, rt.rate_period_header())


def rate_limit_response(decision, period_header):
    detail = (f"Rate limit exceeded: {decision.count} of {decision.limit} requests per "
              f"{period_header.split()[0]} seconds")
    response = jsonapi.api_response({"errors": [{"code": "429", "detail": detail}]}, 429)
    response.headers["Retry-After"] = header_seconds(decision.retry_after)
    return response


def header_seconds(seconds):
    """Whole seconds as PCO writes them ("1"); a fraction ("0.2") only when a test asked for
    one in its faults."""
    return str(int(seconds)) if float(seconds).is_integer() else str(seconds)


def server_error(status):
    if status == 502:
        return Response(BAD_GATEWAY_HTML, status=502, content_type="text/html")
    titles = {500: "Internal Server Error", 503: "Service Unavailable",
              504: "Gateway Timeout"}
    return jsonapi.error(status, titles.get(status, "Server Error"),
                         "Something went wrong on our end. Please try again later.")


def finish_response(response):
    if is_admin_request():
        return response
    rt = runtime()
    _add_rate_headers(rt, response)
    fault = g.get("fault")
    if fault is not None and fault.kind == "truncate" and response.status_code == 200:
        rt.stats.count("fault_truncate")
        body = response.get_data()
        response.set_data(body[:len(body) // 2])
    rule = request.url_rule.rule if request.url_rule is not None else "<unmatched>"
    rt.stats.record(request.method, route_template(rule), response.status_code)
    return response


def _add_rate_headers(rt, response):
    decision = g.get("rate") or rt.limiter.current(g.get("credential") or "")
    response.headers["X-PCO-API-Request-Rate-Limit"] = str(decision.limit)
    response.headers["X-PCO-API-Request-Rate-Period"] = rt.rate_period_header()
    response.headers["X-PCO-API-Request-Rate-Count"] = str(decision.count)


def json_body(document, status=200):
    """Plain JSON for admin routes."""
    return Response(json.dumps(document, ensure_ascii=False, default=str), status=status,
                    content_type="application/json; charset=utf-8")
