"""The second step of signing in: a code from the authenticator app (or enrolment first)."""
from flask import flash, redirect, render_template, request, url_for

from . import bp, two_factor
from .session import start_session

NEXT_PAGE = "home.index"


@bp.route("/login/two-factor", methods=["GET", "POST"])
def second_factor():
    user, held = two_factor.pending()
    if user is None:
        return redirect(url_for("auth.login"))
    enrolling = not user.has_two_factor
    secret, uri = two_factor.begin_enrolment(user) if enrolling else (None, None)
    if request.method == "GET":
        return render_template("auth/two_factor.html", secret=secret, uri=uri)
    attempt = two_factor.begin_attempt(user, request.remote_addr or "-")
    if attempt.refused:
        flash(f"Too many wrong codes. Wait {attempt.retry_after} seconds and try again.", "error")
        page = render_template("auth/two_factor.html", secret=secret, uri=uri)
        return page, 429, {"Retry-After": str(attempt.retry_after)}
    if not two_factor.check(user, request.form.get("code"), attempt):
        flash("That code is not right.", "error")
        return render_template("auth/two_factor.html", secret=secret, uri=uri), 401
    codes = two_factor.confirm(user) if enrolling else None
    two_factor.release()
    start_session(user, remember=held.get("remember"))
    if codes:
        return render_template("auth/recovery_codes.html", codes=codes)
    return redirect(held.get("next") or url_for(NEXT_PAGE))
