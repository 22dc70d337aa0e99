"""Which webhook URLs are this app's: PUBLIC_BASE_URL's /api/pco-webhook, and the addresses in
WEBHOOK_URL_ALIASES (a custom domain beside the platform's host). An imported subscription's
secret is trusted only when PCO delivers that subscription here: a secret of another receiver
(a second system subscribed to the same church) must never sign a delivery this app applies.
"""
from urllib.parse import urlsplit, urlunsplit

ENDPOINT = "/api/pco-webhook"
DEFAULT_PORTS = {"http": 80, "https": 443}


def normalized(url):
    """The URL compared as PCO would deliver to it: scheme and host in lower case, a default
    port and a trailing slash dropped, no query or fragment. None for what is not a URL."""
    parts = urlsplit(str(url or "").strip())
    if parts.scheme.lower() not in DEFAULT_PORTS or not parts.hostname:
        return None
    try:
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    netloc = parts.hostname + (f":{port}" if port and port != DEFAULT_PORTS[scheme] else "")
    return urlunsplit((scheme, netloc, parts.path.rstrip("/"), "", ""))


def own_urls(config):
    """This app's webhook URLs, normalized; empty when PUBLIC_BASE_URL and the aliases are unset
    (then no imported secret can be told to be this app's, and none is trusted)."""
    bases = [config.get("PUBLIC_BASE_URL") or ""]
    bases += str(config.get("WEBHOOK_URL_ALIASES") or "").split(",")
    found = set()
    for base in bases:
        url = normalized(base)
        if url is not None:
            found.add(url if url.endswith(ENDPOINT) else url + ENDPOINT)
    return found


def is_own(url, config):
    return normalized(url) in own_urls(config)
