"""PCO Sync -> What syncs: the church's sync scope (services/settings/scope_choice.py). Thin
views: parse, authorize, call the services, answer."""
from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.permissions import permission_required
from ..models import PCO_MANAGE
from ..pco.errors import PCOError
from ..services.connection import while_admin_waits
from ..services.settings import scope_choice
from ..services.settings.scope import sentence
from . import bp


def _read_lists():
    """PCO's lists, or (None, why) when PCO cannot be reached: the page still works."""
    try:
        return while_admin_waits(scope_choice.pco_lists), None
    except PCOError as err:
        return None, f"PCO's lists could not be read: {err}"


def _page(choice, lists, lists_error, leaving=None, status=200):
    return render_template(
        "sync/scope.html", choice=choice, lists=lists, lists_error=lists_error,
        chosen_list_ids={item["pco_id"] for item in choice.pull_lists},
        campuses=scope_choice.campuses(), memberships=scope_choice.memberships(),
        sentence=sentence(), counts=scope_choice.headcount(), leaving=leaving), status


@bp.route("/scope")
@permission_required(PCO_MANAGE)
def scope():
    lists, lists_error = _read_lists()
    return _page(scope_choice.current_choice(), lists, lists_error)


@bp.route("/scope", methods=["POST"])
@permission_required(PCO_MANAGE)
def save_scope():
    lists, lists_error = _read_lists() if request.form.getlist("list") else ([], None)
    if lists is None:
        flash(f"The scope was not saved: {lists_error}", "error")
        return redirect(url_for("sync.scope"))
    try:
        choice = scope_choice.choice_from(request.form, lists)
        list_people = (while_admin_waits(lambda client: scope_choice.list_people_ids(
            client, choice.pull_lists)) if choice.pull_lists else None)
    except (scope_choice.ScopeRefused, PCOError) as err:
        flash(f"The scope was not saved: {err}", "error")
        return redirect(url_for("sync.scope"))
    leaving = scope_choice.leaving_count(choice, list_people)
    limit = int(current_app.config.get("SCOPE_LEAVING_CONFIRM") or 10)
    if leaving >= limit and request.form.get("confirm") != "1":
        return _page(choice, lists or None, None, leaving=leaving)
    scope_choice.save(choice, current_user.email)
    flash(f"Saved. {sentence()}"
          + (f" {leaving} people leave the scope: the next sync stops updating them and "
             "changes nothing about them here or in PCO." if leaving else ""), "success")
    return redirect(url_for("sync.scope"))
