"""Push tests: a recorder of the write requests the sandbox receives (the sandbox itself is the
shared `sandbox` fixture; people, families and groups come from tests/factories.py)."""
import io
import json

import pytest

WRITE_METHODS = ("POST", "PATCH", "DELETE")


class WriteRecorder:
    """WSGI middleware in front of the sandbox: keeps every write request's method, path and
    JSON body, and answers 500 to the requests a test chooses (before or after the sandbox
    applied them), the way a failing PCO would."""

    def __init__(self, app):
        self.app = app
        self.writes = []
        self.failing = []  # (predicate, applied)

    def fail(self, predicate, applied=False):
        self.failing.append((predicate, applied))

    def heal(self):
        self.failing.clear()

    def __call__(self, environ, start_response):
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        if method not in WRITE_METHODS or path.startswith("/sandbox"):
            return self.app(environ, start_response)
        raw = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(raw)
        body = json.loads(raw) if raw else None
        self.writes.append((method, path, body))
        fault = next((applied for test, applied in self.failing if test(method, path, body)),
                     None)
        if fault is None:
            return self.app(environ, start_response)
        if fault:
            answer = self.app(environ, lambda *args, **kwargs: None)  # applied, answer lost
            getattr(answer, "close", lambda: None)()
        start_response("500 INTERNAL SERVER ERROR", [("Content-Type", "application/json")])
        return [b'{"errors": [{"status": "500", "title": "Internal Server Error"}]}']

    def matching(self, method, fragment=""):
        return [(path, body) for m, path, body in self.writes if m == method and fragment in path]


@pytest.fixture
def recorder(sandbox):
    app = sandbox.app
    original = app.wsgi_app
    app.wsgi_app = recorder = WriteRecorder(original)
    yield recorder
    app.wsgi_app = original
