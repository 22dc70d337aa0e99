"""Login, logout and the password change."""
import logging
from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from . import bp, service, throttle, two_factor
from .session import end_session, start_session

log = logging.getLogger("pcosync.auth")


def safe_next(target):
    """Only a path on this site: no scheme, no host, no protocol-relative `//host`."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    from .forms import LoginForm

    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        return _attempt_login(form)
    return render_template("auth/login.html", form=form)


def _attempt_login(form):
    attempt = throttle.begin(form.email.data, request.remote_addr or "-")
    if attempt.refused:
        return _throttled(form, attempt)
    user = service.authenticate(form.email.data, form.password.data)
    if user is None:
        log.warning("login failed remote_addr=%s", request.remote_addr)
        flash("Wrong email or password.", "error")
        return render_template("auth/login.html", form=form), 401
    throttle.succeeded(attempt)
    if two_factor.required(user):
        two_factor.hold(user, form.remember.data, safe_next(form.next.data))
        return redirect(url_for("auth.second_factor"))
    start_session(user, remember=form.remember.data)
    return redirect(safe_next(form.next.data) or url_for("home.index"))


def _throttled(form, attempt, template="auth/login.html"):
    wait = attempt.retry_after
    when = f"{wait} seconds" if wait < 120 else f"{(wait + 59) // 60} minutes"
    flash(f"Too many failed attempts. Wait {when} and try again.", "error")
    page = render_template(template, form=form)
    return page, 429, {"Retry-After": str(wait)}


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    end_session()
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    from .forms import PasswordForm

    form = PasswordForm()
    if form.validate_on_submit():
        return _attempt_change(form)
    return render_template("auth/password.html", form=form)


def _attempt_change(form):
    """The current password is a guess like a login's: counted first, by the same limits (and
    the same counters: guesses at one account from one address add up on either form)."""
    attempt = throttle.begin(current_user.email, request.remote_addr or "-")
    if attempt.refused:
        return _throttled(form, attempt, "auth/password.html")
    try:
        service.change_password(current_user, form.current.data, form.new.data)
    except service.UserError as err:
        if not isinstance(err, service.WrongPassword):
            throttle.succeeded(attempt)
        flash(f"Password not changed: {err}.", "error")
        return render_template("auth/password.html", form=form), 400
    throttle.succeeded(attempt)
    flash("Password changed. Your other sessions have been logged out.", "success")
    return redirect(url_for("home.index"))
