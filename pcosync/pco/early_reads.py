"""Reads made before they are asked for: a later step's requests, sent while the slots of PCO's
limit would otherwise go unused.

Under PCO's sliding window (ratelimit.py) a pause in sending comes back a window later: request
n + 99 goes out a window after request n, so every second nothing is sent while slots are free
is a second more at the end of a Full Sync. Once Sync People has read its listing to the end,
its last pages are still to be written, and nothing is sent meanwhile. The run's executor then
starts the next step's early reader (services/runs/kinds.py, `Kind.reads_early`): it asks PCO
what that step will ask, through a copy of the client whose GETs keep their answers here, and
the step's own GETs take them, each once, in whatever order they come.

The reader goes on beside the step: whichever of them asks a request first sends it, and the
other waits for that answer (so nothing is asked twice, whatever order each asks in, and the
two chains of requests go side by side); the step's GETs take each answer once. The reader is
stopped when the step ends. An error ends the reader quietly: the step asks again and meets the
error itself, where it is reported.
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


class _Answer:
    """One request, asked by the reader or by the step; the other waits for its body."""

    def __init__(self, step_took=False, reader_read=False):
        self.arrived, self.body = threading.Event(), MISSING
        self.step_took, self.reader_read = step_took, reader_read


class EarlyReads:
    """The answers shared by one step and its early reader, and the thread reading them."""

    def __init__(self, client):
        self._client = client
        self._answers = {}
        self._lock = threading.Lock()
        self._closed = False
        self._thread = None

    def start(self, reader):
        """Run `reader(client)` on a thread of its own, its GETs answered by PCO and kept."""
        with self._lock:
            if self._closed or self._thread is not None:
                return
            reading = copy.copy(self._client)
            reading.early = _Keeping(self)
            self._thread = threading.Thread(target=self._read, args=(reader, reading),
                                            name="pco-early-reads", daemon=True)
        self._thread.start()

    def close(self):
        """The step is over: stop the reader (after its request in flight), forget the rest."""
        with self._lock:
            self._closed = True
        if self._thread is not None:
            self._thread.join()
        with self._lock:
            self._answers.clear()

    def get(self, path, params, send):
        """The step's GET: the reader's answer (waited for if it is on its way), else sent,
        for the reader to read too if it comes to ask it."""
        key = request_key(path, params)
        with self._lock:
            answer = self._answers.get(key)
            if answer is None:
                answer = self._answers[key] = _Answer(step_took=True)
                shared = False
            elif answer.step_took:  # asked again by the step: a fresh answer, its own
                return send()
            else:
                answer.step_took, shared = True, True
        if not shared:
            return self._send(key, answer, send)
        answer.arrived.wait()
        self._forget_if_done(key, answer)
        return answer.body if answer.body is not MISSING else send()

    def _keep(self, path, params, send):
        """The reader's GET: the step's answer if the step asked first, else sent and kept."""
        key = request_key(path, params)
        with self._lock:
            answer = self._answers.get(key)
            if self._closed or (answer is None and self._kept() >= ANSWERS_KEPT):
                raise EarlyReadsStopped()
            if answer is None:
                answer = self._answers[key] = _Answer(reader_read=True)
                own = True
            else:
                answer.reader_read, own = True, False
        if own:
            return self._send(key, answer, send)
        answer.arrived.wait()
        self._forget_if_done(key, answer)
        if answer.body is MISSING:  # the step's request failed: the step reports it
            raise EarlyReadsStopped()
        return answer.body

    def _send(self, key, answer, send):
        try:
            answer.body = send()
            return answer.body
        finally:
            answer.arrived.set()
            self._forget_if_done(key, answer)

    def _kept(self):
        return sum(1 for answer in self._answers.values() if not answer.step_took)

    def _forget_if_done(self, key, answer):
        with self._lock:
            if (answer.step_took and answer.reader_read and answer.arrived.is_set()
                    and self._answers.get(key) is answer):
                del self._answers[key]

    def _read(self, reader, reading):
        try:
            reader(reading)
        except EarlyReadsStopped:
            pass
        except Exception as err:  # the step asks again and reports what it meets
            log.info("early reads ended: %s", type(err).__name__)


class _Keeping:
    """The early reader's client: its GETs go to PCO (or wait for the step's) and are kept."""

    def __init__(self, reads):
        self._reads = reads

    def get(self, path, params, send):
        return self._reads._keep(path, params, send)
