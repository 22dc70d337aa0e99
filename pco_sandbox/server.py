"""Serve a sandbox app from a background thread (tests and benchmarks talk to it over HTTP)."""
import threading

from werkzeug.serving import WSGIRequestHandler, make_server


STOP_POLL_S = 0.01  # how often the serving thread looks whether stop() was asked


class _QuietHandler(WSGIRequestHandler):
    """No per-request access log lines in test output."""

    def log_request(self, *args, **kwargs):
        pass


class SandboxServer:
    def __init__(self, app, host="127.0.0.1", port=0, quiet=True):
        handler = _QuietHandler if quiet else WSGIRequestHandler
        self.app = app
        self._server = make_server(host, port, app, threaded=True, request_handler=handler)
        # A short poll interval makes stop() quick (werkzeug's default is half a second; at
        # 50 ms the suite's sandboxes and served apps spent 5 s waiting to stop).
        self._thread = threading.Thread(target=self._server.serve_forever, args=(STOP_POLL_S,),
                                        name="pco-sandbox", daemon=True)

    @property
    def host(self):
        return self._server.host

    @property
    def port(self):
        return self._server.port

    @property
    def url(self):
        return f"http://{self.host}:{self.port}"

    @property
    def store(self):
        return self.app.extensions["pco_sandbox"]

    @property
    def runtime(self):
        return self.app.extensions["pco_sandbox_runtime"]

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.stop()


def start_sandbox_in_thread(app, host="127.0.0.1", port=0, quiet=True):
    """Start serving `app` (threaded) and return a SandboxServer with `.url` and `.stop()`."""
    return SandboxServer(app, host, port, quiet).start()
