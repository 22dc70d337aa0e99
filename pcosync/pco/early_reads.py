"""Reads made before they are asked for: a later step's requests, sent while the slots of PCO's
limit would otherwise go unused.

Under PCO's sliding window (ratelimit.py) a pause in sending comes back a window later: request
n + 99 goes out a window after request n, so every second nothing is sent while slots are free
is a second more at the end of a Full Sync. Once Sync People has read its listing to the end,
its last pages are still to be written, and nothing is sent meanwhile. The run's executor then
starts the next step's early reader (services/runs/kinds.py, `Kind.reads_early`): it asks PCO
what that step will ask, through a copy of the client whose GETs keep their answers here, and
the step's own GETs take them, each once, in whatever order they come.

When the step starts, the reader is stopped: it sends nothing more (its request in flight ends,
and a GET of the step waiting for that same answer gets it). What it did not read, the step
asks itself, so nothing is asked twice. An error ends the reader quietly: the step asks again
and meets the error itself, where it is reported.
"""
import copy
import logging
import threading

log = logging.getLogger("pcosync.pco")

ANSWERS_KEPT = 300  # at most this many answers wait for their step (a few windows' worth)
MISSING = object()


class EarlyReadsStopped(Exception):
    """Raised in the early reader when it may send nothing more."""


def request_key(path, params):
    return path, tuple(sorted((params or {}).items()))


class EarlyReads:
    """The answers read early for one step, and the thread reading them."""

    def __init__(self, client):
        self._client = client
        self._answers, self._pending = {}, {}
        self._lock = threading.Lock()
        self._stopped = False
        self._thread = None

    def start(self, reader):
        """Run `reader(client)` on a thread of its own, its GETs answered by PCO and kept."""
        with self._lock:
            if self._stopped or self._thread is not None:
                return
            reading = copy.copy(self._client)
            reading.early = _Keeping(self)
            self._thread = threading.Thread(target=self._read, args=(reader, reading),
                                            name="pco-early-reads", daemon=True)
        self._thread.start()

    def stop(self):
        """The step starts: no new request from the reader."""
        with self._lock:
            self._stopped = True

    def close(self):
        """Stop the reader, wait for it, forget what was not taken."""
        self.stop()
        if self._thread is not None:
            self._thread.join()
        with self._lock:
            self._answers.clear()

    def get(self, path, params, send):
        """The step's GET: the answer read early (waiting for it if it is on its way), else
        `send()`."""
        key = request_key(path, params)
        with self._lock:
            if key in self._answers:
                return self._answers.pop(key)
            arriving = self._pending.get(key)
        if arriving is not None:
            arriving.wait()
            with self._lock:
                found = self._answers.pop(key, MISSING)
            if found is not MISSING:
                return found
        return send()

    def _keep(self, path, params, send):
        key = request_key(path, params)
        with self._lock:
            if self._stopped or len(self._answers) >= ANSWERS_KEPT:
                raise EarlyReadsStopped()
            arriving = self._pending[key] = threading.Event()
        try:
            body = send()
            with self._lock:
                self._answers[key] = body
            return body
        finally:
            with self._lock:
                self._pending.pop(key, None)
            arriving.set()

    def _read(self, reader, reading):
        try:
            reader(reading)
        except EarlyReadsStopped:
            pass
        except Exception as err:  # the step asks again and reports what it meets
            log.info("early reads ended: %s", type(err).__name__)


class _Keeping:
    """The early reader's client: its GETs go to PCO and their answers are kept."""

    def __init__(self, reads):
        self._reads = reads

    def get(self, path, params, send):
        return self._reads._keep(path, params, send)
