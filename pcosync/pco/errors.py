"""Typed errors raised by the PCO client.

Messages are written for the operator reading a sync issue: they say what went
wrong and what to check. They never contain credentials, request headers or
query strings (a query may hold an email address).
"""


class PCOError(Exception):
    """Base class for every failure talking to Planning Center."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.message = message
        self.status = status

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status!r}, message={self.message!r})"


class PCOAuthError(PCOError):
    """401/403, or credentials missing from the configuration."""


class PCONotFound(PCOError):
    """404: the resource does not exist (or is not visible to these credentials)."""


class PCOValidationError(PCOError):
    """400/409/422: PCO refused the payload; the message carries PCO's own words."""


class PCORateLimited(PCOError):
    """Still answered 429 after every retry."""


class PCOUnavailable(PCOError):
    """5xx, timeouts or connection errors after retries, or a write that may have landed."""


class PCOBadResponse(PCOError):
    """A 2xx whose body is not the JSON:API document we expected."""


def describe_error_body(body) -> str:
    """Join the title/detail of each entry in a JSON:API `errors` array.

    Also picks up `source.parameter` and `meta.description`, which is where PCO
    names the offending attribute or explains a 403.
    """
    if not isinstance(body, dict) or not isinstance(body.get("errors"), list):
        return ""
    parts = [_describe_one_error(item) for item in body["errors"] if isinstance(item, dict)]
    return "; ".join(part for part in parts if part)


def _describe_one_error(item: dict) -> str:
    title = str(item.get("title") or "").strip()
    detail = str(item.get("detail") or "").strip()
    text = f"{title}: {detail}" if title and detail and title != detail else (detail or title)
    source = item.get("source")
    if isinstance(source, dict) and source.get("parameter"):
        text = f"{text} (parameter {source['parameter']})"
    meta = item.get("meta")
    if isinstance(meta, dict) and meta.get("description"):
        text = f"{text} ({meta['description']})"
    return text


def error_for_status(status: int, method: str, path: str, body) -> PCOError:
    """Build the typed error for a non-2xx, non-retryable response."""
    detail = describe_error_body(body)
    where = f"{method} {path}"
    if status in (401, 403):
        return PCOAuthError(_auth_message(status, where, detail), status)
    if status == 404:
        return PCONotFound(f"PCO has no such resource ({where}): {detail or 'not found'}", status)
    if status in (400, 409, 422):
        return PCOValidationError(f"PCO rejected {where} ({status}): {detail or 'invalid'}", status)
    if status == 429:
        return PCORateLimited(f"PCO kept rate limiting {where}", status)
    if status >= 500:
        return PCOUnavailable(f"PCO is unavailable ({status}) for {where}", status)
    return PCOError(f"PCO answered {status} to {where}: {detail or 'no detail'}", status)


def _auth_message(status: int, where: str, detail: str) -> str:
    reason = "rejected the credentials" if status == 401 else "refused access"
    hint = "check PCO_APP_ID / PCO_SECRET (a Personal Access Token) and the account's permissions"
    suffix = f" PCO said: {detail}" if detail else ""
    return f"PCO {reason} ({status}) for {where}; {hint}.{suffix}"
