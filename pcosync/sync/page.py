"""What the Sync page says about each button (declared with its run kind in
services/runs/kinds.py), the connection, schedules and webhooks."""
import redis as redis_lib
from flask import current_app

from .. import config as settings
from ..jobs import scheduled_ticks
from ..services.alerts import health as alert_health
from ..services.alerts import notify
from ..services.connection import token_user
from ..services.pull import cursors
from ..services.push.people import people_to_create_count
from ..services.runs import kinds, schedules
from ..services.settings import scope_choice
from ..services.settings.scope import sentence as scope_sentence
from ..services.webhooks import health as webhook_health
from ..services.webhooks import setup as webhook_setup


def buttons():
    """The Sync page's two cards of run buttons, pull and push, in their declared order."""
    return {"pull_buttons": kinds.declared(kinds.PULL), "push_buttons": kinds.declared(kinds.PUSH)}


def connection_facts(config):
    return {
        "app_id": bool(config.get("PCO_APP_ID")),
        "secret": bool(config.get("PCO_SECRET")),
        "webhook_secret": bool(settings.webhook_secrets(config)),
        "sandbox": settings.uses_sandbox(config),
        "api_url": config.get("PCO_API_URL"),
    }


def webhook_url(config, request):
    base = (config.get("PUBLIC_BASE_URL") or request.url_root).rstrip("/")
    return base + "/api/pco-webhook"


def automation_context():
    """What the page shows about schedules and webhook subscriptions."""
    try:
        ticks = scheduled_ticks()
    except redis_lib.RedisError:
        ticks = None  # the page says when they are due anyway
    try:
        schedule = schedules.view(ticks)
    except schedules.ScheduleError as err:
        schedule, ticks = None, str(err)
    events = webhook_health.health(current_app.config)
    return {"schedule": schedule, "schedule_error": ticks if isinstance(ticks, str) else None,
            "suggested_minutes": schedules.SUGGESTED_QUICK_MINUTES,
            "quick_cursors": cursors.all_positions(), "webhook_events": events,
            "webhook_summary": webhook_health.summary(events),
            "webhook_blocker": webhook_setup.setup_blocker(current_app.config),
            "webhooks_set_up": webhook_setup.is_set_up(), **alerts_context(),
            **scope_context()}


def scope_context():
    """The scope as one sentence and its headcount, for the Sync page."""
    return {"scope_sentence": scope_sentence(), "scope_counts": scope_choice.headcount(),
            "token_user": token_user.known(), "push_creates": people_to_create_count()}


def alerts_context():
    """Where alerts go and which are open. Looking raises the worker and subscription alerts,
    as /healthz/sync does: an admin on this page is a web process noticing."""
    alert_health.sync_health()
    return {"alert_emails": settings.alert_emails(current_app.config),
            "alerts_mailed": notify.mail_configured(),
            "open_alerts": sorted(notify.open_problems().values(), key=lambda a: a.opened_at)}
