"""What a deployment needs around every request: the client's real address and scheme behind
the platform's router, and the browser's security headers on every response.

A few lines of our own rather than flask-talisman: its last release is from 2023, and the
headers below are all this app needs (it serves no inline script or style, no frames).
"""
from flask import current_app
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
    router passes it through), so X-Forwarded-Host, which a client could send, is not read."""
    hops = app.config["TRUSTED_PROXIES"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0, x_port=0,
                                x_prefix=0)


def add_security_headers(app):
    @app.after_request
    def security_headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if settings.serves_https(current_app.config):
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        return response
