"""All runs: the whole history, paged and filtered (the Sync page shows the last 20)."""
from flask import render_template, request

from ..auth.permissions import permission_required
from ..models import PCO_MANAGE
from ..services.directory.common import page_number
from ..services.runs import listing
from . import bp


@bp.route("/all-runs")
@permission_required(PCO_MANAGE)
def all_runs():
    chosen = listing.RunFilter.from_args(request.args)
    page = listing.page_of_runs(chosen, page_number(request.args.get("page")))
    return render_template("sync/all_runs.html", page=page, chosen=chosen,
                           choices=listing.choices())
