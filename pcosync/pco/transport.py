"""One HTTP exchange with PCO: pacing, version header, retries and error mapping.

Retry policy: 429 is always safe to retry (PCO did not process the request);
5xx, timeouts and dropped connections are retried with bounded exponential
backoff for GET/PATCH/DELETE only. A POST that may have reached PCO is never
retried, because PCO has no idempotency key and a retry could create a
duplicate person, email or household.
"""
import logging
import random
import threading
from urllib.parse import urlsplit

import orjson
import requests

from .errors import PCOBadResponse, PCOUnavailable, error_for_status
from .ratelimit import parse_retry_after, past_deep_offset

DEFAULT_BASE_URL = "https://api.planningcenteronline.com"
# The one place the API version of each product is pinned (docs/pco-api-facts.md §1.2).
API_VERSIONS = {
    "people": "2025-11-10",
    "groups": "2023-07-10",
    "webhooks": "2022-10-20",
}
RETRY_BASE_SECONDS = 1.0
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
_CUT_OFF = object()  # a success whose body is not JSON: see _after_cut_off_body
_TRANSIENT_ERRORS = (requests.ConnectionError, requests.Timeout,
                     requests.exceptions.ChunkedEncodingError)


def api_version_for(path: str) -> str | None:
    """The pinned version for a path like /people/v2/..., or None for other products."""
    product = path.lstrip("/").split("/", 1)[0]
    return API_VERSIONS.get(product)


class Transport:
    """Sends one logical request, retrying it as the policy above allows."""

    def __init__(self, app_id: str, secret: str, base_url: str, *, limiter, timeout: float,
                 max_retries: int, max_backoff: float, sleep, clock, logger=None):
        self.base_url = base_url.rstrip("/")
        self.limiter = limiter
        self.timeout = timeout
        self.max_retries = max_retries
        self.max_backoff = max_backoff
        self.random = random.Random()
        self._sleep = sleep
        self._clock = clock
        self._log = logger or logging.getLogger("pcosync.pco")
        self._credentials = (app_id, secret)
        self._local = threading.local()
        self._sessions = []
        self._sessions_lock = threading.Lock()

    @property
    def session(self) -> requests.Session:
        """This thread's Session: requests does not promise that threads may share one, and a
        pull reads a listing's pages ahead from a thread of its own (pco/prefetch.py)."""
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
            session.auth = self._credentials
            session.headers.update({"Accept": "application/json", "User-Agent": "pcosync"})
            with self._sessions_lock:
                self._sessions.append(session)
        return session

    def close(self) -> None:
        with self._sessions_lock:
            sessions, self._sessions = self._sessions, []
        for session in sessions:
            session.close()
        self._local = threading.local()

    def request(self, method: str, target: str, params=None, body=None):
        """Send `method` to a path or an absolute PCO URL; return the parsed JSON body."""
        method = method.upper()
        url, path = self.resolve_target(target)
        headers = self._version_header(path)
        deep = past_deep_offset(url, params)
        attempt = 0
        while True:
            waited = self.limiter.acquire(deep)
            started = self._clock()
            response, failure = self._send(method, url, params, body, headers)
            if failure is not None:
                delay = self._after_transport_error(method, path, failure, attempt)
            else:
                self.limiter.observe(response.headers, deep)
                self._log_response(method, path, response.status_code, waited, started, attempt)
                if response.ok or self._is_repeat_delete_404(method, response, attempt):
                    parsed = self._parse_success(response, method, path)
                    if parsed is not _CUT_OFF:
                        return parsed
                    delay = self._after_cut_off_body(method, path, response, attempt)
                else:
                    delay = self._after_error_status(method, path, response, attempt)
            attempt += 1
            if delay > 0:
                self._sleep(delay)

    def _send(self, method, url, params, body, headers):
        """(response, None) or (None, the requests exception).

        Our typed errors are raised outside the `except` block, so they carry no
        chained exception whose text we do not control.
        """
        try:
            return self.session.request(method, url, params=params, json=body,
                                        headers=headers, timeout=self.timeout), None
        except requests.RequestException as exc:
            return None, exc

    def resolve_target(self, target: str) -> tuple[str, str]:
        """(absolute URL, path relative to the base URL) for a path or a `links.next` URL."""
        if target.startswith(("http://", "https://")):
            if not target.startswith(self.base_url + "/"):
                # Never send the Basic credentials to a host we were not configured for.
                raise PCOBadResponse("PCO returned a link outside the configured PCO_API_URL")
            path = urlsplit(target).path
            base_path = urlsplit(self.base_url).path
            return target, "/" + path[len(base_path):].lstrip("/")
        path = "/" + target.lstrip("/")
        return self.base_url + path, path

    def _version_header(self, path: str) -> dict:
        version = api_version_for(path)
        return {"X-PCO-API-Version": version} if version else {}

    def _after_transport_error(self, method, path, exc, attempt) -> float:
        """Seconds to back off before retrying, or raise the typed error."""
        kind = type(exc).__name__
        if not isinstance(exc, _TRANSIENT_ERRORS):
            raise PCOUnavailable(f"PCO is unreachable for {method} {path} ({kind}); "
                                 "check PCO_API_URL")
        # A connect timeout means the request never left; anything later may have landed.
        never_sent = isinstance(exc, requests.ConnectTimeout)
        if method == "POST" and not never_sent:
            raise PCOUnavailable(
                f"PCO did not answer {method} {path} ({kind}); the write may have been "
                "applied, so it was not retried (check PCO before trying again)")
        if attempt >= self.max_retries:
            raise PCOUnavailable(f"PCO is unreachable for {method} {path} ({kind}) "
                                 f"after {attempt + 1} attempts")
        delay = self._backoff(attempt)
        self._log.warning("pco retry method=%s path=%s error=%s attempt=%d backoff=%.2fs",
                          method, path, kind, attempt + 1, delay)
        return delay

    def _after_cut_off_body(self, method, path, response, attempt) -> float:
        """A 2xx whose JSON is cut off (a dropped connection, a proxy) was once fatal to a whole
        sync. A GET, PATCH or DELETE is simply asked again, like after a 5xx; a POST was applied
        and is never repeated."""
        if method == "POST" or attempt >= self.max_retries:
            tries = f" after {attempt + 1} attempts" if method != "POST" else ""
            raise PCOBadResponse(f"PCO sent a body that is not valid JSON for {method} {path} "
                                 f"(truncated or not JSON){tries}", response.status_code)
        delay = self._backoff(attempt)
        self._log.warning("pco retry method=%s path=%s status=%s error=truncated-json "
                          "attempt=%d backoff=%.2fs", method, path, response.status_code,
                          attempt + 1, delay)
        return delay

    def _after_error_status(self, method, path, response, attempt) -> float:
        """Seconds to back off before retrying, or raise the typed error."""
        status = response.status_code
        if status not in RETRYABLE_STATUSES:
            raise error_for_status(status, method, path, _json_or_none(response))
        if status == 429:
            self._share_retry_after(method, path, response, attempt)
        elif method == "POST":
            raise PCOUnavailable(
                f"PCO answered {status} to {method} {path}; the write may have been applied, "
                "so it was not retried (check PCO before trying again)", status)
        if attempt >= self.max_retries:
            # Say that the retries ran out: the admin then knows a later run may succeed.
            err = error_for_status(status, method, path, _json_or_none(response))
            raise type(err)(f"{err.message} after {attempt + 1} attempts", status)
        if status == 429:
            return 0.0  # the limiter's acquire() waits out the shared block
        delay = self._backoff(attempt)
        self._log.warning("pco retry method=%s path=%s status=%s attempt=%d backoff=%.2fs",
                          method, path, status, attempt + 1, delay)
        return delay

    def _share_retry_after(self, method, path, response, attempt) -> None:
        retry_after = parse_retry_after(response.headers.get("Retry-After"), self._clock())
        # Shared block: every process using these credentials waits it out, not only us.
        self.limiter.block(retry_after)
        self._log.warning("pco rate limited method=%s path=%s status=429 attempt=%d "
                          "retry_after=%.2fs", method, path, attempt + 1, retry_after)

    def _backoff(self, attempt: int) -> float:
        """Exponential backoff capped at max_backoff, with jitter in its upper half."""
        ceiling = min(self.max_backoff, RETRY_BASE_SECONDS * 2 ** attempt)
        return ceiling / 2 + self.random.uniform(0, ceiling / 2)

    @staticmethod
    def _is_repeat_delete_404(method, response, attempt) -> bool:
        # A retried DELETE whose first try landed finds nothing left: that is success.
        return method == "DELETE" and attempt > 0 and response.status_code == 404

    @staticmethod
    def _parse_success(response, method, path) -> dict | None:
        if response.status_code == 204 or not response.content or not response.ok:
            return None
        body = _json_or_none(response)
        if body is None:
            return _CUT_OFF
        if not isinstance(body, dict):
            raise PCOBadResponse(f"PCO sent a JSON body that is not a document for "
                                 f"{method} {path}", response.status_code)
        return body

    def _log_response(self, method, path, status, waited, started, attempt) -> None:
        elapsed = self._clock() - started
        level = logging.DEBUG if status < 400 else logging.WARNING
        self._log.log(level, "pco request method=%s path=%s status=%s waited=%.2fs "
                      "elapsed=%.2fs attempt=%d", method, path, status, waited, elapsed,
                      attempt + 1, extra={"pco_method": method, "pco_path": path,
                                          "pco_status": status, "pco_waited": waited})


def _json_or_none(response):
    """The body as JSON, or None. orjson first: a page of 100 people with their includes
    decoded in 2.8 ms, against 7 ms with Python's json, a quarter of an unchanged page's CPU.
    What it refuses and Python's json reads (NaN, a lone surrogate, a body not in UTF-8) is
    read as requests reads it."""
    try:
        return orjson.loads(response.content)
    except orjson.JSONDecodeError:
        pass
    try:
        return response.json()
    except ValueError:
        return None
