"""Two-factor sign-in (TOTP, RFC 6238, with pyotp) for users holding pco.manage or a notes
permission, when REQUIRE_TWO_FACTOR is on.

After a right password such a user is only *pending* (their id in the Flask session), not
logged in: the next step asks for a code from their authenticator app, or enrols them first
(a new secret shown as text and as an otpauth URI, confirmed by one code, and ten one-time
recovery codes kept only as password hashes). Codes are throttled like passwords (throttle.py),
counted per account under their own keys.
"""
import secrets

import pyotp
from flask import current_app, session

from ..extensions import db
from ..models import RecoveryCode, User, utcnow
from . import throttle

PENDING = "two_factor_pending"
ISSUER = "pcosync"
RECOVERY_CODES = 10


def required(user):
    return bool(current_app.config.get("REQUIRE_TWO_FACTOR")) and user.needs_two_factor


def hold(user, remember, next_url):
    session[PENDING] = {"user_id": user.id, "remember": bool(remember), "next": next_url or ""}


def pending():
    """(the user who gave a right password, what they asked for), or (None, {})."""
    held = session.get(PENDING) or {}
    user = db.session.get(User, held.get("user_id") or 0)
    return (user, held) if user is not None and user.is_active else (None, {})


def release():
    session.pop(PENDING, None)


def begin_enrolment(user):
    """A secret to enrol with (kept until a code confirms it)."""
    if user.totp_secret is None or user.two_factor_confirmed_at is None:
        user.totp_secret = user.totp_secret or pyotp.random_base32()
        db.session.commit()
    return user.totp_secret, pyotp.TOTP(user.totp_secret).provisioning_uri(
        name=user.email, issuer_name=ISSUER)


def begin_attempt(user, remote_addr):
    return throttle.begin(f"two-factor:{user.email}", remote_addr)


def check(user, code, attempt):
    """Whether `code` (a TOTP code, or an unused recovery code) is right; a right one is
    uncounted by the throttle, a recovery code is used up."""
    code = (code or "").strip().replace(" ", "")
    right = bool(user.totp_secret) and code.isdigit() and pyotp.TOTP(user.totp_secret).verify(
        code, valid_window=1)
    if not right and user.has_two_factor:
        right = _use_recovery_code(user, code)
    if right:
        throttle.succeeded(attempt)
    return right


def confirm(user):
    """The first right code: the factor is on; returns the recovery codes (shown once)."""
    user.two_factor_confirmed_at = utcnow()
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODES)]
    db.session.query(RecoveryCode).filter_by(user_id=user.id).delete()
    db.session.add_all(RecoveryCode.made_from(user.id, code) for code in codes)
    db.session.commit()
    return codes


def _use_recovery_code(user, code):
    for row in db.session.query(RecoveryCode).filter_by(user_id=user.id, used_at=None):
        if row.matches(code):
            row.used_at = utcnow()
            db.session.commit()
            return True
    return False
