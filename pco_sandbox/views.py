"""Helpers shared by the People and Groups blueprints, and the error handlers.

Views only parse, call the store and render; refusals travel as exceptions and become
PCO's error bodies here.
"""
from flask import current_app, request
from werkzeug.exceptions import HTTPException

from . import jsonapi
from .errors import Invalid, NotFound
from .payloads import PayloadError
from .pipeline import runtime
from .queries import QueryError, select


def list_response(kind, rows_of, path, parent_of=None, args=None):
    """A paged list: `rows_of(store)` gives the candidate rows (inside the store lock)."""
    rt = runtime()
    params = jsonapi.ListParams.from_args(request.args, kind)
    with rt.store.lock:
        ctx = rt.context()
        parent = parent_of(rt.store) if parent_of else None
        rows = select(kind, rows_of(rt.store), request.args if args is None else args, ctx)
        document = jsonapi.list_document(kind, rows, params, ctx, path, parent)
    return jsonapi.api_response(document)


def show_response(kind, record_of, status=200):
    """One resource (`record_of(store)` may raise NotFound) with `include=` honoured."""
    rt = runtime()
    params = jsonapi.ListParams.from_args(request.args, kind)
    with rt.store.lock:
        record = record_of(rt.store)
        document = jsonapi.single_document(kind, record, rt.context(), params.includes,
                                           params.fields)
    return jsonapi.api_response(document, status)


def parent_ref(type_name, record_id):
    return {"id": str(record_id), "type": type_name}


def register_error_handlers(app):
    app.register_error_handler(NotFound, lambda exc: jsonapi.not_found())
    app.register_error_handler(Invalid, lambda exc: jsonapi.validation_error(
        exc.detail, exc.parameter, exc.resource))
    app.register_error_handler(PayloadError, lambda exc: exc.response)
    app.register_error_handler(QueryError, lambda exc: jsonapi.bad_request(str(exc)))
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)


def _http_error(exc):
    # PCO answers unknown paths and unsupported verbs (even PUT) with a 404.
    if exc.code in (404, 405):
        return jsonapi.not_found()
    return jsonapi.error(exc.code, exc.name, exc.description)


def _unexpected_error(exc):
    if isinstance(exc, HTTPException):
        return _http_error(exc)
    current_app.logger.exception("sandbox handler failed")
    return jsonapi.error(500, "Internal Server Error", "Something went wrong on our end.")
