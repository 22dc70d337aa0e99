"""Login and logout pages."""
from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_login import login_required, login_user, logout_user

from . import bp, service


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
    email, remote = form.email.data, request.remote_addr or "-"
    if service.is_throttled(email, remote):
        flash("Too many failed attempts. Wait 15 minutes and try again.", "error")
        return render_template("auth/login.html", form=form), 429
    user = service.authenticate(email, form.password.data)
    if user is None:
        service.record_failure(email, remote)
        flash("Wrong email or password.", "error")
        return render_template("auth/login.html", form=form), 401
    service.clear_failures(email, remote)
    login_user(user, remember=form.remember.data)
    return redirect(safe_next(form.next.data) or url_for("home.index"))


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))
