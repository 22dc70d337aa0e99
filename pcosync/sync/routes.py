"""The PCO Sync page (Configuration -> PCO Sync)."""
from flask import Blueprint, current_app, render_template

from .. import config as settings
from ..auth.permissions import permission_required
from ..models import PCO_MANAGE

bp = Blueprint("sync", __name__, url_prefix="/sync")


@bp.route("/")
@permission_required(PCO_MANAGE)
def index():
    cfg = current_app.config
    connection = {
        "app_id": bool(cfg.get("PCO_APP_ID")),
        "secret": bool(cfg.get("PCO_SECRET")),
        "webhook_secret": bool(settings.webhook_secrets(cfg)),
        "sandbox": settings.uses_sandbox(cfg),
        "api_url": cfg.get("PCO_API_URL"),
    }
    return render_template("sync/index.html", connection=connection)
