"""Flask-Login wiring. A login is a UserSession row: the session cookie and the remember-me
cookie carry its token (User.get_id), so the server can end a session. Logout ends that one,
a password change the user's others, and each ends by itself after REMEMBER_COOKIE_DURATION.
"""
import hashlib
import secrets
from datetime import timedelta

from flask import current_app, request, session
from flask_login import current_user, login_user, logout_user, user_loaded_from_cookie
from sqlalchemy import delete, select

from ..extensions import db, login_manager
from ..models import UserSession, utcnow
from ..models.users import token_digest


def configure_login(app):
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    # Flask-Login's default reads the first X-Forwarded-For address, which any client can
    # write; request.remote_addr is the client as TRUSTED_PROXIES decides.
    login_manager._session_identifier_generator = client_identifier
    user_loaded_from_cookie.connect(mark_session_for_this_client, app)


def client_identifier():
    agent = request.headers.get("User-Agent", "")
    return hashlib.sha512(f"{request.remote_addr}|{agent}".encode()).hexdigest()


def mark_session_for_this_client(app, user):
    """A user back through their remember-me cookie gets a session for this client: without
    it, strong session protection sent the next request to the login page."""
    session["_id"] = client_identifier()


@login_manager.user_loader
def load_user(token):
    row = db.session.scalar(select(UserSession).where(
        UserSession.token_digest == token_digest(token)))
    if row is None or row.expires_at <= utcnow() or not row.user.active:
        return None
    row.user.session_token = token
    return row.user


def lifetime():
    duration = current_app.config["REMEMBER_COOKIE_DURATION"]
    return duration if isinstance(duration, timedelta) else timedelta(seconds=duration)


def start_session(user, remember=False):
    """Log `user` in with a new server-side session (and a remember-me cookie if asked)."""
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id,
                                                 UserSession.expires_at <= utcnow()))
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user.id, token_digest=token_digest(token),
                               expires_at=utcnow() + lifetime()))
    db.session.commit()
    user.session_token = token
    login_user(user, remember=remember, duration=lifetime())


def end_session():
    """Logout: this session and its remember-me cookie stop working, wherever they are."""
    token = getattr(current_user, "session_token", None)
    if token:
        db.session.execute(delete(UserSession).where(
            UserSession.token_digest == token_digest(token)))
        db.session.commit()
    logout_user()


def end_other_sessions(user):
    """Every session of `user` but the current one (the caller commits)."""
    query = delete(UserSession).where(UserSession.user_id == user.id)
    if user.session_token:
        query = query.where(UserSession.token_digest != token_digest(user.session_token))
    db.session.execute(query)


def end_all_sessions(user):
    db.session.execute(delete(UserSession).where(UserSession.user_id == user.id))
