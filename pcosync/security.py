"""What a deployment needs around every request: the client's real address and scheme behind
the platform's router, Secure cookies over https, and the browser's security headers on every
response.

A few lines of our own rather than flask-talisman: its last release is from 2023, and the
headers below are all this app needs (it serves no inline script or style, no frames).
"""
from flask import current_app, request
from werkzeug.middleware.proxy_fix import ProxyFix

from . import config as settings

# Pages load their CSS and sync.js from /static and fetch JSON from this site; nothing inline,
# no script from elsewhere. Images may come from the web: a person's photo is a web address
# (PCO's avatars, say). form-action keeps a form from posting to another site.
CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: https: http:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"


def trust_proxies(app):
    """Behind TRUSTED_PROXIES proxies (Heroku's router is one), take the client's address and
    scheme from the X-Forwarded-For / X-Forwarded-Proto those proxies append. Only that many
    hops are believed: a client's own X-Forwarded-For is ignored. The Host header is kept (the
    router passes it through), so X-Forwarded-Host, which a client could send, is not read.
    Inside that, the cookies of a request that arrived over https are Secure (see below)."""
    app.wsgi_app = SecureCookiesOverHttps(app.wsgi_app)
    hops = app.config["TRUSTED_PROXIES"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_port=0,
                                x_prefix=0)


class SecureCookiesOverHttps:
    """Every cookie sent in answer to a request that arrived over https (directly, or as a
    trusted proxy reports: ProxyFix has set the scheme by now) gets the Secure flag, even when
    PUBLIC_BASE_URL does not say the site is https: the session, the remember-me cookie and any
    later one, from whichever part of Flask or its extensions sets it."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        if environ.get("wsgi.url_scheme") != "https":
            return self.wsgi_app(environ, start_response)

        def start_secure(status, headers, exc_info=None):
            headers = [(name, secure_cookie(value) if name.lower() == "set-cookie" else value)
                       for name, value in headers]
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, start_secure)


def secure_cookie(header):
    attributes = {part.strip().lower() for part in header.split(";")[1:]}
    return header if "secure" in attributes else header + "; Secure"


def add_security_headers(app):
    @app.after_request
    def security_headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if settings.serves_https(current_app.config) or request.is_secure:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response
