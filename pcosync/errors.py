"""The answers to 403, 404, 405 and 500: JSON to API and script callers, a plain page to people.

A 400 (CSRF's refusal included) and the webhook endpoint's own answers are left as they are:
they say something more precise than these pages could.
"""
import logging

from flask import jsonify, make_response, render_template, request

from .extensions import db

log = logging.getLogger("pcosync.errors")

# status: (the JSON error, the page's title, the page's sentence)
ERRORS = {
    403: ("forbidden", "Not allowed",
          "Your account may not open this page. If you need it, ask your administrator."),
    404: ("not found", "Page not found",
          "There is nothing at this address. It may have been moved or deleted."),
    405: ("method not allowed", "Not possible here",
          "This address does not accept that kind of request."),
    500: ("internal server error", "Something went wrong",
          "The page could not be finished. Try again in a moment; if it keeps happening, "
          "tell your administrator."),
}


def register(app):
    for status in ERRORS:
        app.register_error_handler(status, answer_error)


def answer_error(error):
    status = getattr(error, "code", None) or 500
    if status == 500:
        # A failed flush or query leaves the transaction unusable; the page below (and the
        # next request on this connection) must not inherit it.
        db.session.rollback()
    code, title, sentence = ERRORS[status]
    if wants_json():
        response = jsonify(error=code)
    else:
        response = _page(status, title, sentence)
    response.status_code = status
    if getattr(error, "valid_methods", None):
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def wants_json():
    """API paths, scripts (XMLHttpRequest) and callers that prefer JSON to HTML."""
    if request.path.startswith("/api/"):
        return True
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        return True
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == \
        "application/json"


def _page(status, title, sentence):
    try:
        html = render_template("error.html", status=status, title=title, sentence=sentence)
    except Exception:  # the layout needs the database; the page must not fail with it
        log.exception("the error page could not be rendered")
        html = f"<!doctype html><title>{title}</title><h1>{title}</h1><p>{sentence}</p>"
    return make_response(html)
